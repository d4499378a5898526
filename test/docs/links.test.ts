/**
 * n8n opens a node's or credential's documentation link from the editor. Ours point at the
 * README's headings on the package's npm page (there is no repository to link to yet), so every
 * link must name a heading that exists, and every relative link of the README and docs/ must name
 * a file that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { headingAnchors, linkTargets, slug } from './markdown';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const packageName: string = JSON.parse(read('package.json')).name;
const npmPage = `https://www.npmjs.com/package/${packageName}`;
const readmeAnchors = headingAnchors(read('README.md'));

function filesUnder(dir: string, suffix: string): string[] {
	return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith(suffix))
		.map((file) => path.join(dir, file))
		.sort();
}

/** [where, url] for every credential's documentationUrl (the class is named like its file). */
function credentialLinks(): Array<[string, string]> {
	return filesUnder('credentials', '.credentials.ts').map((file) => {
		const className = path.basename(file, '.credentials.ts');
		const Credential = require(path.join(root, file))[className] as new () => { documentationUrl?: string };
		return [`${file} documentationUrl`, new Credential().documentationUrl ?? '(none)'];
	});
}

/** [where, url] for every codex documentation link of a node. */
function codexLinks(): Array<[string, string]> {
	return filesUnder('nodes', '.node.json').flatMap((file) => {
		const resources = JSON.parse(read(file)).resources ?? {};
		return ['primaryDocumentation', 'credentialDocumentation'].flatMap((kind) =>
			((resources[kind] ?? []) as Array<{ url: string }>).map((link): [string, string] => [`${file} ${kind}`, link.url]),
		);
	});
}

describe('README anchors as npm and GitHub render them', () => {
	it.each([
		['123kanfang Trigger', '123kanfang-trigger'],
		['Which trigger to choose?', 'which-trigger-to-choose'],
		['Sandbox (`npm start`)', 'sandbox-npm-start'],
		['Expression isolates (n8n 2.x)', 'expression-isolates-n8n-2x'],
		['Options of every [action node](#x)', 'options-of-every-action-node'],
		['Limits and replays (security)', 'limits-and-replays-security'],
	])('%s → #%s', (heading, anchor) => {
		expect(slug(heading)).toBe(anchor);
	});

	it('numbers repeated headings as GitHub does, and skips code blocks', () => {
		const markdown = '# A\n## Usage\n```sh\n# not a heading\n```\n## Usage\n';
		expect([...headingAnchors(markdown)]).toEqual(['a', 'usage', 'usage-1']);
	});
});

describe('documentation links of nodes and credentials', () => {
	const links = [...credentialLinks(), ...codexLinks()];

	it('covers every node', () => {
		expect(new Set(codexLinks().map(([where]) => where.split(' ')[0])).size).toBe(
			filesUnder('nodes', '.node.json').length,
		);
	});

	it.each(links)('%s points at a README heading on the npm page', (_where, url) => {
		expect(url.startsWith(`${npmPage}#`)).toBe(true);
		expect([...readmeAnchors]).toContain(url.slice(npmPage.length + 1));
	});
});

describe('links inside the README and docs/', () => {
	const markdownFiles = ['README.md', ...filesUnder('docs', '.md')];

	it.each(markdownFiles)('%s: relative links name existing files and headings', (file) => {
		const broken: string[] = [];
		for (const target of linkTargets(read(file))) {
			if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
			const [filePart, anchor] = target.split('#');
			const linked = filePart ? path.join(path.dirname(file), decodeURI(filePart)) : file;
			if (!existsSync(path.join(root, linked))) broken.push(`${target} (no file ${linked})`);
			else if (anchor !== undefined && linked.endsWith('.md') && !headingAnchors(read(linked)).has(anchor)) {
				broken.push(`${target} (no heading #${anchor} in ${linked})`);
			}
		}
		expect(broken).toEqual([]);
	});
});
