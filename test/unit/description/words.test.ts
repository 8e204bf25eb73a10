/**
 * The words a user reads in n8n's editor (names, descriptions, hints, placeholders, options) and
 * the values saved workflows hold, as one reviewed record: a change to any of them shows up here
 * and is accepted on purpose (`npx jest -u`), after a look in the browser (`npm run test:ui`).
 */
import { CleverTapApi } from '../../../credentials/CleverTapApi.credentials';
import { CleverTapWebhookBasicAuthApi } from '../../../credentials/CleverTapWebhookBasicAuthApi.credentials';
import { CleverTapWebhookHeaderAuthApi } from '../../../credentials/CleverTapWebhookHeaderAuthApi.credentials';
import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import { CleverTapTrigger } from '../../../nodes/CleverTap/CleverTapTrigger.node';

test("the node's description, parameter by parameter", () => {
	const { properties, ...node } = new CleverTap().description;
	expect(node).toMatchSnapshot();
	// The list itself, so a parameter lost or renamed fails here rather than writing a new entry.
	expect(
		properties.map(({ name, displayOptions }) => [name, displayOptions?.show ?? {}]),
	).toMatchSnapshot('the parameters, in order');
	for (const property of properties)
		expect(property).toMatchSnapshot(
			`${property.name} (${JSON.stringify(property.displayOptions?.show ?? {})})`,
		);
});

test("the credential's fields and test", () => {
	const credential = new CleverTapApi();
	expect({
		name: credential.name,
		displayName: credential.displayName,
		documentationUrl: credential.documentationUrl,
		properties: credential.properties,
		test: credential.test,
		authenticate: credential.authenticate,
	}).toMatchSnapshot();
});

test("the trigger's description, parameter by parameter", () => {
	const { properties, ...node } = new CleverTapTrigger().description;
	expect(node).toMatchSnapshot();
	expect(
		properties.map(({ name, displayOptions }) => [name, displayOptions?.show ?? {}]),
	).toMatchSnapshot('the parameters, in order');
	for (const property of properties) expect(property).toMatchSnapshot(property.name);
});

test.each([
	['Basic Auth', new CleverTapWebhookBasicAuthApi()],
	['Header Auth', new CleverTapWebhookHeaderAuthApi()],
])("the trigger's %s credential: its fields", (_kind, credential) => {
	expect({
		name: credential.name,
		displayName: credential.displayName,
		documentationUrl: credential.documentationUrl,
		properties: credential.properties,
	}).toMatchSnapshot();
});
