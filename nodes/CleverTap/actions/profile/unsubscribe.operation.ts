import { consentOperation } from './consent';

/** Its entry in the Operation list. */
export const option = {
	name: 'Unsubscribe',
	value: 'unsubscribe',
	description:
		'Stop email, SMS or WhatsApp messages to an address, for every profile that shares it',
	action: 'Unsubscribe an email or phone number',
};

export const { description, execute } = consentOperation('Unsubscribe');
