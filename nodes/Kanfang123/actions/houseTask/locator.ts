import type { INodeProperties } from 'n8n-workflow';

/** The IDs of an existing house task an operation may take. */
export type TaskIdKind = 'packageId' | 'houseTaskId' | 'customerHouseId';

/** The `methods.listSearch` function behind each kind's "From List" (methods/listSearch.ts). */
export const SEARCH_METHODS: Record<TaskIdKind, string> = {
	packageId: 'searchPackages',
	houseTaskId: 'searchHouseTasks',
	customerHouseId: 'searchCustomerHouseIds',
};

const EXAMPLES: Record<TaskIdKind, string> = {
	packageId: 'e.g. LiangfangTest1_258de0ba-6520-47f4-9262-fed6ca2e04c4',
	houseTaskId: 'e.g. df7cc2edda5b4d5b8ea7895f0eb5ef38',
	customerHouseId: 'e.g. HOUSE-1001',
};

/**
 * A resource locator for an ID of an existing task: "From List" searches the account's tasks
 * (GetPage), "By ID" takes the ID with the vendor's documented length and no white space.
 * A workflow saved when the field was plain text keeps its string value: n8n hands a string
 * through `extractValue` unchanged, and the operation checks it like any other value.
 */
export function taskLocator(
	kind: TaskIdKind,
	displayName: string,
	maxLength: number,
): Pick<INodeProperties, 'type' | 'default' | 'required' | 'modes'> {
	return {
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a house task...',
				typeOptions: { searchListMethod: SEARCH_METHODS[kind], searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: EXAMPLES[kind],
				validation: [
					{
						type: 'regex',
						properties: {
							regex: `\\S{1,${maxLength}}`,
							errorMessage: `Not a valid ${displayName}: at most ${maxLength} characters, no spaces`,
						},
					},
				],
			},
		],
	};
}
