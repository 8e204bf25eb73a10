import { resource } from '../common/resource';
import * as getMany from './getMany.operation';
import * as upload from './upload.operation';

export const { operations, description } = resource('event', [getMany, upload], 'upload');
