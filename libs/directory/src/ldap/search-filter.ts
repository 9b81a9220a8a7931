import { SEARCHABLE_COLUMNS, type EqualityCondition, type SearchableAttribute } from '../directory-store';

/** The parts of an ldapjs 3 filter read here (its published typings describe ldapjs 2). */
export interface LdapFilter {
  type: string;
  attribute?: string;
  value?: unknown;
  filters?: LdapFilter[];
  matches(attributes: Record<string, string[]>, strictAttributeCase?: boolean): boolean;
}

/**
 * An equality on an indexed column that every entry matching the filter satisfies, if there is one: the filter
 * itself (`(serialNumber=1EMH...)`) or a clause of a top-level AND. The database then reads only those rows; the
 * whole filter is still evaluated on each of them.
 */
export function indexedCondition(filter: LdapFilter): EqualityCondition | undefined {
  if (filter.type === 'EqualityFilter') return conditionOf(filter);
  if (filter.type === 'AndFilter') {
    for (const clause of filter.filters ?? []) {
      const condition = clause.type === 'EqualityFilter' ? conditionOf(clause) : undefined;
      if (condition) return condition;
    }
  }
  return undefined;
}

function conditionOf(filter: LdapFilter): EqualityCondition | undefined {
  const attribute = (filter.attribute ?? '').toLowerCase();
  if (!(attribute in SEARCHABLE_COLUMNS) || typeof filter.value !== 'string') return undefined;
  return { attribute: attribute as SearchableAttribute, value: filter.value };
}
