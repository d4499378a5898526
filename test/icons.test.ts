/**
 * Every node and credential has themed icons (n8n's scan: icon-prefer-themed-variants): a light
 * and a dark SVG, different files, both present in the source and copied by the build (gulp).
 * Credentials all follow one convention: `credentials/icons/<name>.svg` and `<name>.dark.svg`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { AiccApi } from '../credentials/AiccApi.credentials';
import { IncsApi } from '../credentials/IncsApi.credentials';
import { Kanfang123Api } from '../credentials/Kanfang123Api.credentials';
import { Kanfang123WebhookApi } from '../credentials/Kanfang123WebhookApi.credentials';
import { Aicc } from '../nodes/Aicc/Aicc.node';
import { Incs } from '../nodes/Incs/Incs.node';
import { Kanfang123 } from '../nodes/Kanfang123/Kanfang123.node';
import { Kanfang123PollTrigger } from '../nodes/Kanfang123/Kanfang123PollTrigger.node';
import { Kanfang123Trigger } from '../nodes/Kanfang123/Kanfang123Trigger.node';

const root = path.join(__dirname, '..');
const nodes: Array<[string, INodeType]> = [
	['nodes/Aicc', new Aicc()],
	['nodes/Incs', new Incs()],
	['nodes/Kanfang123', new Kanfang123()],
	['nodes/Kanfang123', new Kanfang123Trigger()],
	['nodes/Kanfang123', new Kanfang123PollTrigger()],
];
const credentials: ICredentialType[] = [new AiccApi(), new IncsApi(), new Kanfang123Api(), new Kanfang123WebhookApi()];

function checkThemed(icon: unknown, dir: string, convention?: RegExp) {
	expect(icon).toEqual({ light: expect.stringMatching(/^file:.+\.svg$/), dark: expect.stringMatching(/^file:.+\.dark\.svg$/) });
	const { light, dark } = icon as { light: string; dark: string };
	if (convention) {
		expect(light).toMatch(convention);
		expect(dark).toBe(light.replace(/\.svg$/, '.dark.svg'));
	}
	const files = [light, dark].map((ref) => path.join(dir, ref.replace(/^file:/, '')));
	for (const file of files) expect(readFileSync(file, 'utf8')).toMatch(/<svg[^>]+viewBox="0 0 60 60"/);
	expect(readFileSync(files[0], 'utf8')).not.toBe(readFileSync(files[1], 'utf8'));
	return files;
}

describe('themed icons', () => {
	it.each(nodes)('%s has a light and a dark icon', (dir, node) => {
		checkThemed(node.description.icon, path.join(root, dir));
	});

	it.each(credentials.map((c) => [c.name, c] as const))('credential %s has icons/<name>.svg and .dark.svg', (_name, credential) => {
		checkThemed(credential.icon, path.join(root, 'credentials'), /^file:icons\/[A-Za-z0-9]+\.svg$/);
	});

	it('the build (npm run build, run by test:unit before Jest) copies both variants next to the compiled files', () => {
		for (const [dir, node] of nodes) {
			const { light, dark } = node.description.icon as { light: string; dark: string };
			for (const ref of [light, dark]) expect(existsSync(path.join(root, 'dist', dir, ref.slice(5)))).toBe(true);
		}
		for (const credential of credentials) {
			const { light, dark } = credential.icon as { light: string; dark: string };
			for (const ref of [light, dark]) expect(existsSync(path.join(root, 'dist/credentials', ref.slice(5)))).toBe(true);
		}
	});
});
