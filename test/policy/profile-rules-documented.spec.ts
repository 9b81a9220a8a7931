/** The rule names are an interface (problem documents, audit records, operators' greps): each is documented. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILE_RULES } from '@smpki/policy';

it('every rule is listed in the profiles README, and the README names no rule that does not exist', () => {
  const readme = readFileSync(join(__dirname, '../../libs/policy/src/profiles/README.md'), 'utf8');
  const listed = readme.slice(readme.indexOf('## Rules')).match(/`[a-z]+(\.[a-zA-Z-]+)+`/g)!.map((name) => name.slice(1, -1));
  expect(new Set(listed)).toEqual(new Set(Object.keys(PROFILE_RULES)));
});
