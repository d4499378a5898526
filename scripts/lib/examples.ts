/**
 * The example workflows in examples/*.json: plain n8n workflow exports that refer to their
 * credentials by type and name only (no ids), so they import into any n8n. When the sandbox
 * imports them it points every credential reference at the sandbox credential of that type.
 */
import fs from 'node:fs';
import path from 'node:path';

import { projectRoot } from './paths';
import type { WorkflowBody } from './rest';

export interface Example {
	file: string;
	workflow: WorkflowBody & { tags?: unknown };
	/** Node types used, e.g. n8n-nodes-task-dispatch.kanfang123. */
	types: string[];
	/** Whether it starts from a trigger other than the manual one (then the sandbox activates it). */
	hasTrigger: boolean;
}

export const PACKAGE_NAME = 'n8n-nodes-task-dispatch';

export function examplesDir() {
	return path.join(projectRoot(), 'examples');
}

export function loadExamples(): Example[] {
	const dir = examplesDir();
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Example['workflow'];
			const types = [...new Set(workflow.nodes.map((n) => String(n.type)))];
			const hasTrigger = types.some((t) => /trigger$/i.test(t) && t !== 'n8n-nodes-base.manualTrigger');
			return { file, workflow, types, hasTrigger };
		});
}

/** A copy of the workflow whose credential references point at `byType[type]`. */
export function withCredentials(
	workflow: WorkflowBody,
	byType: Record<string, { id: string; name: string }>,
): WorkflowBody {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowBody & { tags?: unknown; id?: unknown };
	delete copy.tags;
	delete copy.id;
	for (const node of copy.nodes) {
		const refs = node.credentials as Record<string, { id?: string; name: string }> | undefined;
		if (!refs) continue;
		for (const type of Object.keys(refs)) {
			const target = byType[type];
			if (target) refs[type] = { id: target.id, name: target.name };
		}
	}
	return copy;
}
