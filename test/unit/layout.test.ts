/** How the code is laid out, where a slip would not show in behaviour until it grows. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as campaign from '../../nodes/CleverTap/actions/campaign';
import * as event from '../../nodes/CleverTap/actions/event';
import * as message from '../../nodes/CleverTap/actions/message';
import * as profile from '../../nodes/CleverTap/actions/profile';
import * as report from '../../nodes/CleverTap/actions/report';

const NODE = join(__dirname, '..', '..', 'nodes', 'CleverTap');

describe('one place for each kind of thing', () => {
	test('the transport imports nothing from credentials/', () => {
		const dir = join(NODE, 'transport');
		for (const file of readdirSync(dir)) {
			expect([file, readFileSync(join(dir, file), 'utf8')]).not.toEqual([
				file,
				expect.stringMatching(/from ['"][./]*credentials\//),
			]);
		}
	});

	test.each([
		['campaign', campaign],
		['message', message],
		['report', report],
		['profile', profile],
		['event', event],
	])(
		'every operation file of %s is in its list, and its list is the Operation parameter',
		(name, resource) => {
			const files = readdirSync(join(NODE, 'actions', name)).filter((file) =>
				file.endsWith('.operation.ts'),
			);
			expect(resource.operations).toHaveLength(files.length);
			const parameter = resource.description.find((property) => property.name === 'operation');
			expect(parameter?.options?.map((option) => ('value' in option ? option.value : ''))).toEqual(
				resource.operations
					.map((operation) => operation.option)
					.sort((a, b) => a.name.localeCompare(b.name))
					.map((option) => option.value),
			);
		},
	);

	test('sentences about failed items are built only in actions/common/messages.ts', () => {
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				const path = join(dir, entry.name);
				if (entry.isDirectory()) walk(path);
				else if (entry.name.endsWith('.ts') && entry.name !== 'messages.ts') {
					const text = readFileSync(path, 'utf8');
					if (/`[^`]*\b(?:was|were) not \$\{|`[^`]*did not take|before the node stopped/.test(text))
						offenders.push(path);
				}
			}
		};
		walk(join(NODE, 'actions'));
		expect(offenders).toEqual([]);
	});
});
