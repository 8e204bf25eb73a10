import { countOperation } from './count';

/** Its entry in the Operation list. */
export const option = {
	name: 'Count Events',
	value: 'countEvents',
	description: 'Count how often an event happened between two dates',
	action: 'Count events',
};

export const { description, execute } = countOperation('eventCount', 'countEvents', 'events');
