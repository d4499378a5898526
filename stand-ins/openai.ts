/**
 * A local stand-in of an OpenAI-compatible model server, for n8n's AI Agent with its OpenAI
 * Chat Model (Base URL pointing here, any API key). It plays a scripted model, the same way on
 * every run: its first answer calls every tool the request offers, once each, filling each tool
 * parameter from `values` (the `$fromAI` key → value); once the request carries the tools'
 * results, it answers with a short text. Both APIs n8n's model node speaks:
 *
 * - `POST /v1/responses` (the Responses API, the default of the model node's version 1.3):
 *   tools are `{type: 'function', name, parameters}`, results come back as `function_call_output`
 *   input items;
 * - `POST /v1/chat/completions` ("Use Responses API" off, older node versions): tools are
 *   `{type: 'function', function: {name, parameters}}`, results come back as `role: 'tool'`
 *   messages.
 *
 * Every request is recorded (`requests`), so tests see what the model was told, tool results
 * included.
 */
import { randomBytes } from 'node:crypto';

import type { RecordedRequest, ReplyDescription } from './base';
import { StandInServer } from './base';

/** What the scripted model puts into a tool parameter (by `$fromAI` key) unless told otherwise. */
export const DEMO_TOOL_VALUES: Record<string, string | number | boolean> = {
	photographer: 'li.photographer',
	houseName: 'Maple Court 2-1-502',
	customerHouseId: 'CRM-HOUSE-AGENT-1',
	title: 'Viewing request for Maple Court 2-1-502',
	description: 'Customer asked for a viewing this weekend.',
	customerPhone: '8613900139000',
	customerName: 'Chen Wei',
	taskName: 'Follow up: viewing request for Maple Court 2-1-502',
	packageId: 'pkg_demo_completed_0042',
};

export const FINAL_ANSWER = 'Done: every tool was called once; their results are above.';

interface ToolSchema {
	name: string;
	properties: Record<string, { type?: string }>;
}

interface ToolCall {
	id: string;
	name: string;
	arguments: string;
}

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

type Body = Record<string, unknown>;

export class OpenAiStandIn extends StandInServer {
	/** `$fromAI` key → value the scripted model fills in. */
	values: Record<string, string | number | boolean> = { ...DEMO_TOOL_VALUES };

	constructor() {
		super();
		this.route('POST', '/v1/responses', (r) => this.responses(r));
		this.route('POST', '/v1/chat/completions', (r) => this.chatCompletions(r));
		this.route('GET', '/v1/models', () => ({ body: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'stand-in' }] } }));
	}

	/** The model's requests (either API), oldest first. */
	modelRequests(): RecordedRequest[] {
		return this.requests.filter((r) => r.path === '/v1/responses' || r.path === '/v1/chat/completions');
	}

	/** The calls of the first turn: every offered tool once, its parameters from `values`. */
	private callsFor(tools: ToolSchema[]): ToolCall[] {
		return tools.map((tool) => {
			const args: Record<string, unknown> = {};
			for (const [key, schema] of Object.entries(tool.properties)) {
				const scripted = this.values[key];
				args[key] =
					scripted !== undefined ? scripted : schema.type === 'number' ? 1 : schema.type === 'boolean' ? false : `example ${key}`;
			}
			return { id: id('call'), name: tool.name, arguments: JSON.stringify(args) };
		});
	}

	private responses(request: RecordedRequest): ReplyDescription {
		const body = (request.json ?? {}) as Body;
		const input = Array.isArray(body.input) ? (body.input as Body[]) : [];
		const hasResults = input.some((item) => item.type === 'function_call_output');
		const tools = ((body.tools as Body[] | undefined) ?? [])
			.filter((tool) => tool.type === 'function')
			.map((tool) => ({ name: String(tool.name), properties: ((tool.parameters as Body)?.properties ?? {}) as ToolSchema['properties'] }));
		const output = hasResults || tools.length === 0
			? [
					{
						type: 'message',
						id: id('msg'),
						role: 'assistant',
						status: 'completed',
						content: [{ type: 'output_text', text: FINAL_ANSWER, annotations: [] }],
					},
				]
			: this.callsFor(tools).map((call) => ({
					type: 'function_call',
					id: id('fc'),
					call_id: call.id,
					name: call.name,
					arguments: call.arguments,
					status: 'completed',
				}));
		return {
			body: {
				id: id('resp'),
				object: 'response',
				created_at: Math.floor(Date.now() / 1000),
				status: 'completed',
				model: String(body.model ?? 'gpt-4o-mini'),
				output,
				usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20 },
			},
		};
	}

	private chatCompletions(request: RecordedRequest): ReplyDescription {
		const body = (request.json ?? {}) as Body;
		const messages = Array.isArray(body.messages) ? (body.messages as Body[]) : [];
		const hasResults = messages.some((message) => message.role === 'tool');
		const tools = ((body.tools as Body[] | undefined) ?? [])
			.map((tool) => tool.function as Body)
			.filter(Boolean)
			.map((fn) => ({ name: String(fn.name), properties: ((fn.parameters as Body)?.properties ?? {}) as ToolSchema['properties'] }));
		const calls = hasResults || tools.length === 0 ? [] : this.callsFor(tools);
		const message = calls.length
			? {
					role: 'assistant',
					content: null,
					tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
				}
			: { role: 'assistant', content: FINAL_ANSWER };
		return {
			body: {
				id: id('chatcmpl'),
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: String(body.model ?? 'gpt-4o-mini'),
				choices: [{ index: 0, message, finish_reason: calls.length ? 'tool_calls' : 'stop' }],
				usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
			},
		};
	}
}
