/**
 * Just enough Markdown reading for the documentation-link test: headings, their anchors as
 * GitHub and npm render them, and links. Fenced code blocks and code spans are skipped.
 */

/** Lines outside fenced code blocks (``` or ~~~). */
function proseLines(markdown: string): string[] {
	const lines: string[] = [];
	let fence: string | undefined;
	for (const line of markdown.split('\n')) {
		const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
		if (marker && (fence === undefined || marker.startsWith(fence))) {
			fence = fence === undefined ? marker : undefined;
			continue;
		}
		if (fence === undefined) lines.push(line);
	}
	return lines;
}

/** The text a heading shows: links and images by their text, no `*` emphasis or code marks. */
function headingText(markdown: string): string {
	return markdown
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[`*]/g, '')
		.trim();
}

/**
 * GitHub's heading anchor (github-slugger), which npm uses too: lower case, every character that
 * is not a letter, digit, mark, space, hyphen or underscore dropped, each space a hyphen.
 */
export function slug(heading: string): string {
	return headingText(heading)
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** Anchors of all headings, with GitHub's -1, -2… suffix for repeated ones. */
export function headingAnchors(markdown: string): Set<string> {
	const anchors = new Set<string>();
	for (const line of proseLines(markdown)) {
		const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
		if (heading === undefined) continue;
		const base = slug(heading);
		let anchor = base;
		for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
		anchors.add(anchor);
	}
	return anchors;
}

/** Targets of inline links and images, outside code. */
export function linkTargets(markdown: string): string[] {
	const targets: string[] = [];
	for (const line of proseLines(markdown)) {
		const prose = line.replace(/`[^`]*`/g, '');
		for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(match[1]);
	}
	return targets;
}
