import { consentOperation } from './consent';

/** Its entry in the Operation list. */
export const option = {
	name: 'Resubscribe',
	value: 'resubscribe',
	description:
		'Allow email, SMS or WhatsApp messages to an address again, for every profile that shares it',
	action: 'Resubscribe an email or phone number',
};

export const { description, execute } = consentOperation('Resubscribe');
