import type { IDataObject } from 'n8n-workflow';

/** `application/x-www-form-urlencoded` text of the form fields (booleans as true/false). */
export function formEncode(form: IDataObject): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(form)) {
		if (value !== undefined && value !== null) params.append(key, String(value));
	}
	return params.toString();
}
