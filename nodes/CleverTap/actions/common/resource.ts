import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

/** What makes an operation: its entry in the Operation list, its parameters and its run. */
export interface Operation {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

/** A resource: its operations, the one list the Operation parameter and the router read. */
export interface Resource {
	operations: readonly Operation[];
	description: INodeProperties[];
}

/** A resource's Operation parameter and every operation's parameters, from its list. */
export function resource(
	name: string,
	operations: readonly Operation[],
	defaultOperation: string,
): Resource {
	return {
		operations,
		description: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: [name] } },
				// n8n's lint rules want the options in alphabetical order.
				options: operations
					.map((operation) => operation.option)
					.sort((a, b) => a.name.localeCompare(b.name)),
				default: defaultOperation,
			},
			...operations.flatMap((operation) => operation.description),
		],
	};
}
