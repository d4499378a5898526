import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation } from '../../shared/runner';
import { createTransport } from '../transport';
import * as houseTask from './houseTask';

/** resource → operation → module. */
export const operations = { houseTask: houseTask.operations };

/** The node's `execute`: the chosen resource and operation over all items. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, operations, (retry) => createTransport(this, retry));
}
