import { resource } from '../common/resource';
import * as create from './create.operation';
import * as getMany from './getMany.operation';
import * as getReport from './getReport.operation';
import * as stop from './stop.operation';

export const { operations, description } = resource(
	'campaign',
	[create, getMany, getReport, stop],
	'create',
);
