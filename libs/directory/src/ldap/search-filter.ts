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

/**
 * Whether the indexed condition alone decides the filter for a stored meter entry: the filter is that one equality,
 * and a meter entry's cn, serialNumber, serial and fingerprint are the lowercased key columns' sources, so
 * `column = lower(value)` holds exactly when the case-insensitive equality does. CA entries (whose attributes are
 * built differently) are still matched by the filter.
 */
export function conditionDecidesFilter(filter: LdapFilter): boolean {
  return filter.type === 'EqualityFilter' && conditionOf(filter) !== undefined;
}

/** `(objectClass=*)`, the usual filter of a base search: every entry has object classes. */
export function matchesEveryEntry(filter: LdapFilter): boolean {
  return filter.type === 'PresenceFilter' && (filter.attribute ?? '').toLowerCase() === 'objectclass';
}

function conditionOf(filter: LdapFilter): EqualityCondition | undefined {
  const attribute = (filter.attribute ?? '').toLowerCase();
  if (!(attribute in SEARCHABLE_COLUMNS) || typeof filter.value !== 'string') return undefined;
  return { attribute: attribute as SearchableAttribute, value: filter.value };
}

/** An entry as filters see it: attribute names and text values lowercased, binary attributes present but valueless. */
export type MatchView = ReadonlyMap<string, readonly string[]>;

/** Attribute types the DIT holds under more than one name (RFC 4519: serialNumber has none, cn is commonName). */
const ALIASES: Record<string, string> = { commonname: 'cn', countryname: 'c', organizationname: 'o', organizationalunitname: 'ou' };

/**
 * Compiles a search filter into a predicate that compares values case-insensitively, as the DIT's attribute types
 * define it (cn, serialNumber, c, o, ou: caseIgnoreMatch; objectClass: OID names; the smpki hex attributes are
 * stored lowercase). ldapjs's own `matches` compares values exactly as stored, so `(serialNumber=1emh...)` would
 * miss a meter stored as `1EMH...`. Extensible matches, which name their own rule, keep ldapjs's evaluation.
 */
export function compileFilter(filter: LdapFilter): (view: MatchView, text: Record<string, string[]>) => boolean {
  const attribute = ALIASES[(filter.attribute ?? '').toLowerCase()] ?? (filter.attribute ?? '').toLowerCase().replace(/;.*$/, '');
  const values = (view: MatchView) => view.get(attribute) ?? [];
  const asserted = typeof filter.value === 'string' ? filter.value.toLowerCase() : Buffer.isBuffer(filter.value) ? filter.value.toString('utf8').toLowerCase() : '';
  switch (filter.type) {
    case 'AndFilter': {
      const clauses = (filter.filters ?? []).map(compileFilter);
      return (view, text) => clauses.every((clause) => clause(view, text));
    }
    case 'OrFilter': {
      const clauses = (filter.filters ?? []).map(compileFilter);
      return (view, text) => clauses.some((clause) => clause(view, text));
    }
    case 'NotFilter': {
      const inner = compileFilter((filter as unknown as { filter: LdapFilter }).filter);
      return (view, text) => !inner(view, text);
    }
    case 'PresenceFilter':
      return (view) => view.has(attribute);
    case 'EqualityFilter':
    case 'ApproximateFilter':
      return (view) => values(view).includes(asserted);
    case 'GreaterThanEqualsFilter':
      return (view) => values(view).some((value) => value >= asserted);
    case 'LessThanEqualsFilter':
      return (view) => values(view).some((value) => value <= asserted);
    case 'SubstringFilter': {
      const pattern = substringPattern(filter as unknown as { initial?: string; any?: string[]; final?: string });
      return (view) => values(view).some((value) => pattern.test(value));
    }
    default:
      return (_view, text) => filter.matches(text, false);
  }
}

function substringPattern(filter: { initial?: string; any?: string[]; final?: string }): RegExp {
  const escape = (part: string) => part.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const middle = (filter.any ?? []).map(escape).join('.*');
  return new RegExp(`^${escape(filter.initial ?? '')}.*${middle}${middle ? '.*' : ''}${escape(filter.final ?? '')}$`, 's');
}

/** The view `compileFilter` predicates read, built once per entry. */
export function matchViewOf(text: Record<string, string[]>, binaryNames: readonly string[]): MatchView {
  const view = new Map<string, string[]>();
  for (const [name, values] of Object.entries(text)) view.set(name.toLowerCase(), values.map((value) => value.toLowerCase()));
  for (const name of binaryNames) view.set(name.toLowerCase().replace(/;binary$/, ''), []);
  return view;
}
