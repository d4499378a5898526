/**
 * The editor in a real browser (headless Chromium driven by playwright-core; browserLaunch.ts
 * says which one): log in, open the example workflows, open the parameter panel of each of our
 * nodes, check that our icons load (no broken images) and that the operations are listed; run
 * one example from the editor's own button; pick a house task "From List" by searching and see
 * Retire's warning; check that Chinese text renders; save screenshots
 * to .sandbox/e2e-n8n<line>/screenshots (with E2E_UPDATE_DOCS_SCREENSHOTS=1 the README's ones
 * in docs/screenshots are refreshed too).
 * The browser may talk to nothing but the local n8n: every other request is blocked.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { N8N_LINES } from '../../scripts/lib/n8n-lines';
import { launchBrowser } from './browserLaunch';
import { e2eState, loggedIn, n8nName, until, workflowByFile } from './helpers';
import { E2E_SCREENSHOTS_DIR } from './state';

const state = e2eState();
const shots = E2E_SCREENSHOTS_DIR();
const docsShots = path.join(__dirname, '..', '..', 'docs', 'screenshots');
/** Screenshot name → file name in docs/screenshots (the ones the README shows). */
const FOR_DOCS: Record<string, string> = {
	'workflow-kanfang123-assign-capture-tasks-executed': 'workflow-assign-capture-tasks.png',
	'panel-kanfang123-operation-list': 'kanfang123-operations.png',
	'panel-kanfang123Trigger': 'kanfang123-trigger.png',
	'panel-aicc-operation-list': 'aicc-operations.png',
	'panel-incs': 'incs-task.png',
	'node-creator-kanfang123': 'node-creator.png',
	'panel-kanfang123-package-from-list': 'kanfang123-package-from-list.png',
	'panel-kanfang123-retire-hint': 'kanfang123-retire-hint.png',
};

/** The little of the DOM the page-side callbacks use (the project compiles without lib "dom"). */
interface BrowserImage {
	complete: boolean;
	naturalWidth: number;
	getAttribute(name: string): string | null;
}
declare const document: { images: ArrayLike<BrowserImage> & Iterable<BrowserImage> };

let browser: Browser;
let context: BrowserContext;
let page: Page;
const blocked: string[] = [];
const failedIcons: string[] = [];

interface NodeTypeDescription {
	name: string;
	properties: Array<{ name: string; options?: Array<{ name: string; value: unknown; action?: string }> }>;
}
let descriptions: NodeTypeDescription[] = [];

async function screenshot(name: string) {
	const file = path.join(shots, `${name}.png`);
	await page.screenshot({ path: file });
	if (process.env.E2E_UPDATE_DOCS_SCREENSHOTS === '1' && FOR_DOCS[name]) {
		fs.mkdirSync(docsShots, { recursive: true });
		fs.copyFileSync(file, path.join(docsShots, FOR_DOCS[name]));
	}
	return file;
}

/** Images on the page that finished loading without content (what a broken icon is). */
async function brokenImages(): Promise<string[]> {
	await page.waitForFunction(() => [...document.images].every((image) => image.complete), undefined, {
		timeout: 10_000,
	});
	return page.$$eval('img', (images) =>
		images.filter((image) => image.naturalWidth === 0).map((image) => image.getAttribute('src') ?? '(no src)'),
	);
}

async function openWorkflow(file: string) {
	const workflow = workflowByFile(state, file);
	await page.goto(`${state.url}/workflow/${workflow.id}`);
	await page.waitForSelector('[data-test-id=canvas-node]');
	await page.waitForFunction(() => [...document.images].every((image) => image.complete));
}

/** The options of a node's options parameter, as n8n's node description gives them. */
function options(type: string, parameter: string) {
	const description = descriptions.find((d) => d.name === type);
	const property = description?.properties.find((p) => p.name === parameter && p.options);
	if (!property?.options) throw new Error(`${type} has no options parameter "${parameter}"`);
	return property.options;
}

function optionNames(type: string, parameter: string): string[] {
	return options(type, parameter).map((o) => o.name);
}

beforeAll(async () => {
	fs.rmSync(shots, { recursive: true, force: true });
	fs.mkdirSync(shots, { recursive: true });
	descriptions = (await (await loggedIn(state)).nodeTypes()) as unknown as NodeTypeDescription[];

	// A fresh profile every run; nothing from the network.
	browser = await launchBrowser();
	context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	await context.route('**/*', (route) => {
		const url = new URL(route.request().url());
		if (/^(https?|wss?):$/.test(url.protocol) && url.hostname !== '127.0.0.1') {
			blocked.push(url.href);
			return route.abort();
		}
		return route.continue();
	});
	page = await context.newPage();
	page.on('response', (r) => {
		if (r.url().includes('/icons/') && r.status() >= 400) failedIcons.push(`${r.status()} ${r.url()}`);
	});
}, 60_000);

afterAll(async () => {
	await browser?.close();
	if (blocked.length) {
		process.stdout.write(`browser: blocked ${blocked.length} request(s) to other hosts: ${[...new Set(blocked)].join(', ')}\n`);
	}
	process.stdout.write(`browser: screenshots in ${shots}\n`);
});

describe(`the editor of ${n8nName(state)} in a real browser`, () => {
	test('log in as the owner', async () => {
		await page.goto(`${state.url}/signin`);
		await page.fill('input[name=emailOrLdapLoginId]', state.owner.email);
		await page.fill('input[name=password]', state.owner.password);
		await page.click('[data-test-id=form-submit-button]');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
		expect(new URL(page.url()).pathname).not.toMatch(/signin/);
	});

	test('an example workflow opens with our icons and runs from the "Execute workflow" button', async () => {
		await openWorkflow('kanfang123-assign-capture-tasks.json');
		const ours = page.locator('[data-test-id=canvas-node][data-node-type="n8n-nodes-task-dispatch.kanfang123"]');
		expect(await ours.count()).toBe(2);
		const iconWidths = await ours.evaluateAll((nodes) =>
			nodes.map((node) => (node.querySelector('img') as BrowserImage | null)?.naturalWidth ?? 0),
		);
		expect(iconWidths.every((width) => width > 0)).toBe(true);
		expect(await brokenImages()).toEqual([]);
		await screenshot('workflow-kanfang123-assign-capture-tasks');

		await page.click('[data-test-id=execute-workflow-button]');
		// n8n shows a run's item count on each connection and a check mark on each node.
		await page.waitForSelector('[data-test-id=canvas-node][data-node-name="Set Anjuke number"] [data-test-id=canvas-node-status-success]', {
			timeout: 30_000,
		});
		await page.mouse.move(5, 450);
		await page.waitForTimeout(300);
		await screenshot('workflow-kanfang123-assign-capture-tasks-executed');
	});

	const panels = [
		{ file: 'kanfang123-assign-capture-tasks.json', node: 'Assign capture task', type: 'kanfang123', parameter: 'operation' },
		{ file: 'kanfang123-push-completed-package.json', node: 'Task completed', type: 'kanfang123Trigger', parameter: 'event' },
		{ file: 'aicc-open-and-transfer-task.json', node: 'Open task', type: 'aicc', parameter: 'operation' },
		{ file: 'incs-queue-customer-for-agent.json', node: 'Queue customer for agent', type: 'incs', parameter: 'operation' },
	];

	test.each(panels)('$type: parameter panel opens with its icon and lists every $parameter', async (panel) => {
		const type = `n8n-nodes-task-dispatch.${panel.type}`;
		await openWorkflow(panel.file);
		const node = page.locator(`[data-test-id=canvas-node][data-node-name="${panel.node}"]`);
		expect(await node.getAttribute('data-node-type')).toBe(type);
		expect(await node.evaluate((n) => (n.querySelector('img') as BrowserImage | null)?.naturalWidth ?? 0)).toBeGreaterThan(0);
		await screenshot(`workflow-${path.basename(panel.file, '.json')}`);

		await node.dblclick();
		const ndv = page.locator('[data-test-id=ndv]');
		await ndv.waitFor();
		await page.locator('[data-test-id=node-parameters]').waitFor();
		// The panel's header shows the node's icon.
		const headerIcon = ndv.locator(`img[src*="/icons/n8n-nodes-task-dispatch/"]`).first();
		await headerIcon.waitFor();
		expect(await headerIcon.evaluate((img) => (img as unknown as BrowserImage).naturalWidth)).toBeGreaterThan(0);

		expect(await brokenImages()).toEqual([]);
		// Let the panel's opening animation finish before the picture.
		await page.waitForTimeout(600);
		await screenshot(`panel-${panel.type}`);

		await ndv.locator(`[data-test-id=parameter-input-${panel.parameter}]`).click();
		const list = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
		await list.first().waitFor();
		const listed = (await list.allInnerTexts()).map((text) => text.split('\n')[0].trim());
		const expected = optionNames(type, panel.parameter);
		expect(expected.length).toBeGreaterThan(0);
		expect(listed).toEqual(expect.arrayContaining(expected));
		// Let the list's opening animation finish before the picture.
		await page.waitForTimeout(400);
		await screenshot(`panel-${panel.type}-${panel.parameter}-list`);
		await page.keyboard.press('Escape');
		await page.click(N8N_LINES[state.line].editor.closeNodePanel);
	});

	test.each([
		{ search: '123kanfang', entry: '123kanfang', type: 'kanfang123' },
		{ search: 'Huawei AICC', entry: 'Huawei AICC', type: 'aicc' },
		{ search: 'INCS', entry: 'INCS', type: 'incs' },
	])('the node panel finds "$search" and lists its actions', async ({ search, entry, type }) => {
		await openWorkflow('kanfang123-assign-capture-tasks.json');
		await page.click('[data-test-id=node-creator-plus-button]');
		const searchBar = page.locator('[data-test-id=node-creator-search-bar]');
		await searchBar.waitFor();
		await searchBar.fill(search);
		const item = page.locator('[data-test-id=node-creator-item-name]', { hasText: entry }).first();
		await item.waitFor();
		await item.click();
		// The node's page in the panel lists one entry per operation: its "action" text.
		// (n8n adds a "Custom API Call" option of its own, without an action text.)
		const expected = options(`n8n-nodes-task-dispatch.${type}`, 'operation')
			.map((o) => o.action)
			.filter((action): action is string => typeof action === 'string');
		expect(expected.length).toBeGreaterThan(0);
		const first = page.locator('[data-test-id=item-iterator-item]', { hasText: expected[0] });
		await first.waitFor();
		const listed = (await page.locator('[data-test-id=item-iterator-item]').allInnerTexts()).map((t) => t.trim());
		expect(listed).toEqual(expect.arrayContaining(expected));
		expect(await brokenImages()).toEqual([]);
		// Let the panel finish sliding in before the picture.
		await page.waitForTimeout(600);
		await screenshot(`node-creator-${type}`);
	});

	test('a Package ID is picked "From List" by searching, and Retire warns that it cannot be undone', async () => {
		const credential = state.credentials.kanfang123Api;
		const nodeName = 'Retire a house';
		const { id } = await (await loggedIn(state)).createWorkflow({
			name: 'Browser check: pick a house task from the list',
			nodes: [
				{ id: 'pick-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'pick-retire',
					name: nodeName,
					type: 'n8n-nodes-task-dispatch.kanfang123',
					typeVersion: 1,
					position: [260, 0],
					parameters: { resource: 'houseTask', operation: 'retire', packageId: { __rl: true, mode: 'list', value: '' } },
					credentials: { kanfang123Api: { id: credential.id, name: credential.name } },
				},
			],
			connections: { Start: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		});
		await page.goto(`${state.url}/workflow/${id}`);
		await page.waitForSelector('[data-test-id=canvas-node]');
		await page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`).dblclick();
		const ndv = page.locator('[data-test-id=ndv]');
		await page.locator('[data-test-id=node-parameters]').waitFor();

		// The node's hint for Retire, in the panel.
		await ndv.getByText('Retire cannot be undone').first().waitFor();
		await page.waitForTimeout(600);
		await screenshot('panel-kanfang123-retire-hint');

		// "From List": open the list, search, pick the seeded completed task.
		const locator = ndv.locator('[data-test-id=resource-locator-packageId]');
		await locator.locator('[data-test-id=rlc-input]').click();
		// The search box (n8n 1.x puts the test id on the input's wrapper, 2.x on the input).
		const search = page.locator('input[data-test-id=rlc-search], [data-test-id=rlc-search] input').first();
		await search.waitFor().catch(async (error: Error) => {
			await screenshot('panel-kanfang123-package-list-failed');
			throw error;
		});
		// Type only once the unfiltered first page is shown: an answer to that first request
		// arriving after the search's answer would otherwise replace the filtered list.
		await until('the list to show its first page', async () =>
			(await page.locator('[data-test-id=rlc-item]').count()) > 0 ? true : undefined,
		);
		await search.fill('Riverside');
		// The list shows the search's answer only (the tasks the example run created are gone).
		// The editor asks the node (GetPage's searchKey, covered by test/kanfang123/locators.test.ts)
		// or, when the first page held the whole list, filters that page itself.
		const listed = await until('the list to show the search result', async () => {
			const texts = await page.locator('[data-test-id=rlc-item]').allInnerTexts();
			return texts.length > 0 && texts.every((text) => text.includes('Riverside')) ? texts : undefined;
		}).catch(async (error: Error) => {
			await screenshot('panel-kanfang123-package-search-failed');
			const texts = await page.locator('[data-test-id=rlc-item]').allInnerTexts();
			throw new Error(`${error.message}; the list shows ${JSON.stringify(texts.slice(0, 5))} (${texts.length} entries)`);
		});
		expect(listed.map((text) => text.trim())).toEqual(['Riverside Gardens 3-2-1 · CRM-HOUSE-0042 · Completed']);
		const entry = page.locator('[data-test-id=rlc-item]', { hasText: 'Riverside Gardens 3-2-1' });
		await page.waitForTimeout(400);
		await screenshot('panel-kanfang123-package-from-list');
		await entry.click();

		// The field shows the picked entry.
		const input = locator.locator('input[data-test-id=rlc-input], [data-test-id=rlc-input] input').first();
		await page.waitForFunction(
			(element) => (element as unknown as { value: string }).value.startsWith('Riverside Gardens 3-2-1'),
			await input.elementHandle(),
		);
		await page.waitForTimeout(300);
		await screenshot('panel-kanfang123-package-picked');
		await page.keyboard.press('Escape');
	});

	test('Chinese text renders with the CJK font, not as empty boxes', async () => {
		const sample = await context.newPage();
		await sample.setContent('<p id="sample" style="font-size:40px">123看房 任务派发</p>');
		// Chromium reports the font each text node was drawn with (a box is drawn with a font too).
		const cdp = await context.newCDPSession(sample);
		await cdp.send('DOM.enable');
		await cdp.send('CSS.enable');
		const { root } = await cdp.send('DOM.getDocument');
		const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#sample' });
		const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
		await sample.screenshot({ path: path.join(shots, 'cjk-text.png') });
		await sample.close();
		expect(fonts.map((font) => font.postScriptName)).toEqual(['NotoSansHans-Regular']);
	});

	test('no icon request failed', () => {
		expect(failedIcons).toEqual([]);
	});
});
