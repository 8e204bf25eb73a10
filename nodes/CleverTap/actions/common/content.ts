/**
 * What a message says, per channel: the parameters Campaign → Create and Message → Send to Users
 * share, and how an item's values become CleverTap's `content`.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const CHANNELS = {
	push: { name: 'Push', cleverTap: 'push', noun: 'push' },
	email: { name: 'Email', cleverTap: 'email', noun: 'email' },
	sms: { name: 'SMS', cleverTap: 'sms', noun: 'SMS' },
	webPush: { name: 'Web Push', cleverTap: 'webpush', noun: 'web push' },
} as const;
export type Channel = keyof typeof CHANNELS;

const DEVICES = ['android', 'ios', 'windows'] as const;

/** The Channel parameter. */
export const channelProperty: INodeProperties = {
	displayName: 'Channel',
	name: 'channel',
	type: 'options',
	noDataExpression: true,
	options: Object.entries(CHANNELS).map(([value, { name }]) => ({ name, value })),
	default: 'push',
	description: 'How the message reaches people',
};

const show = (...channels: Channel[]) => ({ show: { channel: channels } });

/** The content parameters, each shown for the channels that use it. */
export const contentProperties: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('push', 'webPush'),
		description: 'The title of the notification',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('email'),
		description: 'The subject of the email',
	},
	{
		displayName: 'Sender Name',
		name: 'senderName',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('email'),
		description: 'The name the email comes from',
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'The text of the message; for an email, its HTML',
	},
	{
		displayName: 'Devices',
		name: 'devices',
		type: 'multiOptions',
		options: [
			{ name: 'Android', value: 'android' },
			{ name: 'iOS', value: 'ios' },
			{ name: 'Windows', value: 'windows' },
		],
		default: ['android', 'ios'],
		displayOptions: show('push'),
		description: 'The kinds of device the push goes to',
	},
	{
		displayName: 'Android Channel ID',
		name: 'channelId',
		type: 'string',
		default: '',
		placeholder: 'e.g. offers',
		displayOptions: show('push'),
		description:
			'The notification channel of your Android app that shows the push. Android 8 and later need one: without it CleverTap refuses a push to Android.',
	},
	{
		displayName: 'Deep Link',
		name: 'deepLink',
		type: 'string',
		default: '',
		placeholder: 'e.g. myapp://orders/42',
		displayOptions: show('push', 'webPush'),
		description: 'Where a tap on the notification leads; leave empty to open the app or site',
	},
];

/** CleverTap's `content` for an item, and the devices of a push; or what is wrong. */
export function readContent(
	this: IExecuteFunctions,
	itemIndex: number,
	channel: Channel,
): { content: IDataObject; devices?: string[] } | NodeOperationError {
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const missing = (what: string) =>
		new NodeOperationError(this.getNode(), `The ${what} is empty`, {
			itemIndex,
			description: `Enter the ${what} of the ${CHANNELS[channel].noun}, or set it to a field of the item.`,
		});
	const body = text('body');
	if (body === '') return missing('body');
	if (channel === 'sms') return { content: { body } };
	if (channel === 'email') {
		const subject = text('subject');
		if (subject === '') return missing('subject');
		const senderName = text('senderName');
		if (senderName === '') return missing('sender name');
		return { content: { subject, body, sender_name: senderName } };
	}
	const title = text('title');
	if (title === '') return missing('title');
	const deepLink = text('deepLink');
	if (channel === 'webPush') {
		return {
			content: {
				title,
				body,
				...(deepLink ? { platform_specific: { chrome: { deep_link: deepLink } } } : {}),
			},
		};
	}
	const rawDevices = this.getNodeParameter('devices', itemIndex, ['android', 'ios']);
	const devices = (Array.isArray(rawDevices) ? rawDevices : String(rawDevices).split(','))
		.map((device) => String(device).trim().toLowerCase())
		.filter(Boolean);
	const unknown = devices.find((device) => !(DEVICES as readonly string[]).includes(device));
	if (unknown !== undefined || devices.length === 0) {
		return new NodeOperationError(
			this.getNode(),
			unknown !== undefined
				? `The device "${unknown}" is not one CleverTap knows`
				: 'No device is chosen',
			{ itemIndex, description: 'Choose Android, iOS or Windows under Devices.' },
		);
	}
	const channelId = text('channelId');
	if (devices.includes('android') && channelId === '') {
		return new NodeOperationError(this.getNode(), 'A push to Android needs an Android Channel ID', {
			itemIndex,
			description:
				'Android 8 and later show a push only in a notification channel of the app, and CleverTap refuses a push to Android without one. Enter the channel ID your app declares (ask its developers), or leave Android out of Devices.',
		});
	}
	const platforms: IDataObject = {};
	if (devices.includes('android')) {
		platforms.android = { wzrk_cid: channelId, ...(deepLink ? { deep_link: deepLink } : {}) };
	}
	if (devices.includes('ios') && deepLink) platforms.ios = { deep_link: deepLink };
	return {
		content: {
			title,
			body,
			...(Object.keys(platforms).length ? { platform_specific: platforms } : {}),
		},
		devices,
	};
}
