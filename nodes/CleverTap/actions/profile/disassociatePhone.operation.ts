import { consentOperation } from './consent';

/** Its entry in the Operation list. */
export const option = {
	name: 'Disassociate Phone',
	value: 'disassociatePhone',
	description: 'Take a phone number used as an identity off its profile, so it can be used again',
	action: 'Disassociate a phone number',
};

export const { description, execute } = consentOperation('disassociate');
