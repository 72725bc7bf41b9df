export { renderMappingTable, type MappingTableController, type MappingChange } from './mapping-table';
export { renderValidationReport, issueWhere } from './validation-report';
export { renderMappingActions, type MappingActionsOptions } from './mapping-actions';
export * from './mapping-model';
