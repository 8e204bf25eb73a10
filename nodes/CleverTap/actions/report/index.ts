import { resource } from '../common/resource';
import * as countEvents from './countEvents.operation';
import * as countProfiles from './countProfiles.operation';
import * as messageReports from './messageReports.operation';
import * as realTime from './realTime.operation';
import * as topValues from './topValues.operation';
import * as trends from './trends.operation';

export const { operations, description } = resource(
	'report',
	[countEvents, countProfiles, messageReports, realTime, topValues, trends],
	'countEvents',
);
