// Carnet's UI kit: import the pieces of a page from here (docs/ui-and-forms.md).
export { DataTable, type Column } from './table'
export { PageHeader, Section } from './layout'
export { StatusBadge, type Tone } from './status'
export { FilterBar, Pagination } from './filter-bar'
export { ConfirmForm, confirmed } from './confirm-form'
export { Field, SelectField, TextareaField, ChoiceField, CheckboxField, plainField, type FieldMeta } from './field'
export { useCarnetForm, FormNotice, type FormResult } from './form'
export { Notice } from './shell'
