/**
 * Runs a polling trigger node the way n8n does, in n8n-core's real `PollContext`:
 *
 * - `activate()` is n8n's ActiveWorkflows.activatePolling: one Workflow object for the whole
 *   activation, a first poll right away, then (ActiveWorkflowManager.add) the static data is
 *   saved.
 * - `poll()` is one scheduled poll on that same Workflow: when it returns items (n8n's
 *   `__emit`), the static data is saved and the items recorded in `emitted`; `null` emits
 *   nothing and saves nothing (the progress stays in the Workflow's memory, as in n8n).
 * - `restart()` drops the Workflow (a new n8n process) and activates again from the saved
 *   static data (activation mode `init`).
 * - `fetchTestEvent()` is the editor's "Fetch Test Event": WorkflowExecute.executePollNode's
 *   PollContext in mode `manual`, on a copy of the saved static data that is never saved.
 */
import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, INodeType, WorkflowActivateMode, WorkflowExecuteMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { TriggerConfig } from './nodeTypes';
import { changedStaticData, triggerNode } from './nodeTypes';
import type { Harness } from './run';

export const POLL_NODE_NAME = 'Poll Trigger Under Test';

export type PollNodeConfig = TriggerConfig;

export class PollRunner {
	/** The workflow's static data as n8n keeps it in its database. */
	staticData: IDataObject = {};

	/** What every poll that returned items emitted (one entry per emission). */
	readonly emitted: INodeExecutionData[][] = [];

	private active?: { workflow: Workflow; node: INode; activation: WorkflowActivateMode };

	constructor(
		private readonly harness: Harness,
		private config: PollNodeConfig,
	) {}

	configure(config: Partial<PollNodeConfig>) {
		this.config = { ...this.config, ...config };
	}

	/** The trigger's part of the saved static data (`getWorkflowStaticData('node')`). */
	get nodeStaticData(): IDataObject | undefined {
		return this.staticData[`node:${POLL_NODE_NAME}`] as IDataObject | undefined;
	}

	private nodeType(): INodeType {
		return this.harness.nodeTypes.getByNameAndVersion(this.config.type);
	}

	private build(staticData: IDataObject): { workflow: Workflow; node: INode } {
		const node = triggerNode(this.nodeType(), this.config, { id: 'poll-trigger-under-test', name: POLL_NODE_NAME });
		const workflow = new Workflow({
			id: 'poll-harness',
			name: 'Poll harness workflow',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: this.harness.nodeTypes,
			settings: {},
			staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject,
		});
		return { workflow, node };
	}

	private context(workflow: Workflow, node: INode, mode: WorkflowExecuteMode, activation: WorkflowActivateMode) {
		const hooks = new ExecutionLifecycleHooks(mode, 'poll', { id: workflow.id, name: workflow.name, nodes: [node], connections: {} } as never);
		return new PollContext(workflow, node, this.harness.additionalData(hooks), mode, activation);
	}

	private save(workflow: Workflow) {
		const changed = changedStaticData(workflow);
		if (!changed) return;
		this.staticData = changed;
		workflow.staticData.__dataChanged = false;
	}

	private async runPoll(): Promise<INodeExecutionData[][] | null> {
		const { workflow, node, activation } = this.active!;
		const result = await this.nodeType().poll!.call(this.context(workflow, node, 'trigger', activation));
		if (result !== null) {
			this.save(workflow);
			this.emitted.push(result[0] ?? []);
		}
		return result;
	}

	/** Activate (first poll right away, then the static data saved); returns that poll's items. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<INodeExecutionData[] | null> {
		this.active = { ...this.build(this.staticData), activation };
		const result = await this.runPoll();
		this.save(this.active.workflow);
		return result?.[0] ?? null;
	}

	/** One scheduled poll of the active workflow; its items, or null when it emitted none. */
	async poll(): Promise<INodeExecutionData[] | null> {
		if (!this.active) throw new Error('activate() first');
		return (await this.runPoll())?.[0] ?? null;
	}

	/** A new n8n process: the in-memory workflow is gone; activate from the saved static data. */
	async restart(): Promise<INodeExecutionData[] | null> {
		this.active = undefined;
		return await this.activate('init');
	}

	deactivate() {
		this.active = undefined;
	}

	/** The editor's "Fetch Test Event" (mode manual); nothing is saved. */
	async fetchTestEvent(): Promise<INodeExecutionData[] | null> {
		const { workflow, node } = this.build(this.staticData);
		const result = await this.nodeType().poll!.call(this.context(workflow, node, 'manual', 'manual'));
		return result?.[0] ?? null;
	}
}
