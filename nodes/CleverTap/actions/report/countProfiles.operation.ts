import { countOperation } from './count';

/** Its entry in the Operation list. */
export const option = {
	name: 'Count Profiles',
	value: 'countProfiles',
	description: 'Count the people who did an event between two dates',
	action: 'Count profiles',
};

export const { description, execute } = countOperation('profileCount', 'countProfiles', 'profiles');
