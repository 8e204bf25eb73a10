const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Recognises a parameter that is only a plain field reference, `={{ $json.email }}`,
 * `={{ $json.contact.email }}` or `={{ $json["e-mail"] }}`, and returns the path it reads.
 * Anything else returns undefined and is evaluated by n8n's expression engine.
 */
export function parseJsonFieldReference(parameter: unknown): string[] | undefined {
	if (typeof parameter !== 'string') return undefined;
	const match =
		/^=\s*\{\{\s*\$json((?:\s*(?:\.[A-Za-z_$][\w$]*|\[\s*(?:'[^'\\]*'|"[^"\\]*")\s*\]))+)\s*\}\}\s*$/.exec(
			parameter,
		);
	if (!match) return undefined;
	const path: string[] = [];
	const segment = /\s*(?:\.([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\])/g;
	let part: RegExpExecArray | null;
	while ((part = segment.exec(match[1])) !== null) {
		const key = part[1] ?? part[2] ?? part[3];
		if (key === undefined || (part[1] !== undefined && !IDENTIFIER.test(key))) return undefined;
		path.push(key);
	}
	return path.length > 0 ? path : undefined;
}

const NOT_FOUND = Symbol('not found');

/**
 * Reads a path from an item's json the way `$json.a.b` would, or returns NOT_FOUND where n8n's
 * own evaluation must decide (a missing parent, which n8n reports as an expression error).
 */
export function readJsonPath(json: unknown, path: readonly string[]): unknown {
	let current: unknown = json;
	for (let index = 0; index < path.length; index++) {
		if (current === null || typeof current !== 'object') return NOT_FOUND;
		const key = path[index];
		// Only own data properties: `$json.constructor` and the like are for the engine to judge.
		if (!Object.prototype.hasOwnProperty.call(current, key)) {
			return index === path.length - 1 && !(key in current) ? undefined : NOT_FOUND;
		}
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/** True when `readJsonPath` could not decide and the expression must be evaluated by n8n. */
export function isUndecided(value: unknown): boolean {
	return value === NOT_FOUND;
}
