/**
 * What an AI agent reads about each operation when the node is its tool: n8n's own description
 * of the tool, from the operation's action. The operations that reach people or cannot be undone
 * say so there.
 */
import { NodeHelpers, type INode } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';

const node = new CleverTap();
const operations = node.description.properties
	.filter((property) => property.name === 'operation')
	.flatMap((property) =>
		(property.options as Array<{ value: string }>).map((option) => ({
			resource: String(property.displayOptions?.show?.resource?.[0]),
			operation: option.value,
		})),
	);

function toolDescription(resource: string, operation: string): string {
	const tool = {
		parameters: { resource, operation },
		name: 'CleverTap',
		type: 'n8n-nodes-clevertap.cleverTapTool',
		typeVersion: 1,
		position: [0, 0],
		id: 'tool',
	} as unknown as INode;
	return NodeHelpers.getToolDescriptionForNode(tool, node);
}

const IRREVERSIBLE = [
	['profile', 'demerge'],
	['profile', 'delete'],
	['campaign', 'stop'],
];
const REACHES_PEOPLE = [
	['message', 'send'],
	['message', 'triggerCampaign'],
	['campaign', 'create'],
];

test.each(IRREVERSIBLE)('%s → %s tells an agent it cannot be undone', (resource, operation) => {
	expect(toolDescription(resource, operation)).toMatch(/cannot be undone/);
});

test.each(REACHES_PEOPLE)(
	'%s → %s tells an agent it reaches real people',
	(resource, operation) => {
		expect(toolDescription(resource, operation)).toMatch(/reaches real people/);
	},
);

test('no other operation claims either', () => {
	const flagged = new Set([...IRREVERSIBLE, ...REACHES_PEOPLE].map((pair) => pair.join(' ')));
	const others = operations.filter(
		({ resource, operation }) => !flagged.has(`${resource} ${operation}`),
	);
	expect(others.length).toBeGreaterThan(10);
	for (const { resource, operation } of others) {
		expect(toolDescription(resource, operation)).not.toMatch(/cannot be undone|real people/);
	}
});
