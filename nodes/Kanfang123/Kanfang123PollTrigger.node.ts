import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { isValidTimeZone } from '../shared/timeZone';
import { preview } from '../shared/validation';
import { changedRows, POLL_FIELDS, type PollState, taskStateItem, windowStart } from './helpers/poll';
import { formatInZone, KANFANG123_TIME_ZONE, shiftServerTime } from './helpers/pollTime';
import { taskStateFilterOptions, taskStatesParam } from './helpers/taskStateFilter';
import { GET_PAGE_PATH, readModifiedSince } from './transport/getPage';
import { createPollTransport } from './transport/poll';

interface PollOptions {
	includeLastHours?: number;
	overlapMinutes?: number;
	timeZone?: string;
}

/** How many recent tasks "Fetch Test Event" shows. */
const TEST_EVENT_COUNT = 5;

export class Kanfang123PollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '123kanfang Polling Trigger',
		name: 'kanfang123PollTrigger',
		icon: { light: 'file:kanfang123Trigger.svg', dark: 'file:kanfang123Trigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		description:
			'Starts the workflow when a 123kanfang house task changes state, by asking 123kanfang (no callback URL needed)',
		subtitle: 'Task State Changed (polling)',
		defaults: { name: '123kanfang Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kanfang123Api', required: true }],
		properties: [
			{
				displayName:
					'Asks 123kanfang for house tasks changed since the last poll and emits one item per task whose state changed, shaped like the 123kanfang Trigger\'s Task State Changed event. Use it when 123kanfang cannot reach your n8n (no public URL); otherwise the 123kanfang Trigger is immediate and makes no requests.',
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Task States',
				name: 'taskStates',
				type: 'multiOptions',
				options: taskStateFilterOptions,
				default: [],
				description: 'Start the workflow only for tasks now in these states. Empty passes all.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: '123kanfang Time Zone',
						name: 'timeZone',
						type: 'string',
						default: KANFANG123_TIME_ZONE,
						description:
							'Time zone of the times 123kanfang writes (they carry no offset); used to start the first window at "now"',
					},
					{
						displayName: 'Include Last N Hours',
						name: 'includeLastHours',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'On the first poll after activation, also emit tasks changed in this many hours before it. 0 starts from now (no flood of history).',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 2,
						description:
							'Each poll reads this far back before the newest change it saw, for changes written late or a clock difference; repeats are not emitted twice',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = this.getNodeParameter('options', {}) as PollOptions;
		const wanted = taskStatesParam(this.getNode(), this.getNodeParameter('taskStates', []));
		const timeZone = options.timeZone || KANFANG123_TIME_ZONE;
		if (!isValidTimeZone(timeZone)) {
			throw new NodeOperationError(this.getNode(), `"123kanfang Time Zone" is not a time zone name n8n knows: "${preview(timeZone)}"`, {
				description: 'Use an IANA name such as Asia/Shanghai.',
			});
		}
		const overlapMs = Math.max(0, Number(options.overlapMinutes ?? 2)) * 60_000;
		const transport = createPollTransport(this);
		const read = async (qs: IDataObject) =>
			await transport.request(
				{ method: 'GET', url: GET_PAGE_PATH, qs, arrayFormat: 'repeat', json: true },
				{ itemIndex: 0, idempotent: true },
			);
		const polledAt = new Date();
		const fields = POLL_FIELDS.join(',');

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": the latest tasks, whatever the window; the state is not touched.
			const qs: IDataObject = { orderBy: 'LastModifyTime DESC', fields, page: 0, pageSize: TEST_EVENT_COUNT };
			if (wanted.length) qs.status = wanted;
			const payload = (await read(qs)) as IDataObject | undefined;
			const rows = Array.isArray(payload?.rows) ? (payload.rows as IDataObject[]) : [];
			if (!rows.length) {
				throw new NodeOperationError(this.getNode(), 'No 123kanfang house tasks found to show as a test event', {
					description: wanted.length
						? 'No task is in one of the chosen Task States. Empty the filter or wait for a task to reach one.'
						: 'This 123kanfang account has no house tasks yet. Assign a capture task first.',
				});
			}
			return [rows.slice(0, TEST_EVENT_COUNT).map((row) => ({ json: taskStateItem(row, polledAt) }))];
		}

		const state = this.getWorkflowStaticData('node') as PollState;
		if (!state.cursor) {
			const hours = Math.max(0, Number(options.includeLastHours ?? 0));
			state.last = {};
			state.cursor = shiftServerTime(formatInZone(polledAt.getTime(), timeZone), -hours * 3600_000);
			state.floor = state.cursor;
			// First activation: from now on, nothing of the past (unless hours were asked for).
			if (hours === 0) return null;
		}
		const rows = await readModifiedSince(read, { fields }, windowStart(state, overlapMs), timeZone);
		const changed = changedRows(state, rows, { wanted, overlapMs, timeZone });
		if (!changed.length) return null;
		return [changed.map((row) => ({ json: taskStateItem(row, polledAt) }))];
	}
}
