import { ENDPOINTS } from '@synapse/endpoints';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../../..');
const doc = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');

/** The docs name the APIs a key can be limited to by hand: this keeps them the list the gateway takes. */
describe('the API names in the docs', () => {
  it.each(['configuration.md', 'admin-api.md'])("are the gateway's list in %s's error example", (name) => {
    const lists = [...doc(name).matchAll(/is not one of: ([a-z.,\s]+)`/g)].map((match) => match[1].trim());
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list.split(/,\s*/)).toEqual([...ENDPOINTS]);
  });

  it("are the gateway's list in the keys table of configuration.md and the example of admin-api.md", () => {
    const row = doc('configuration.md')
      .split('\n')
      .find((line) => line.startsWith('| `endpoints` |'));
    expect(
      [...(row ?? '').matchAll(/`([a-z]+(?:\.[a-z]+)?)`/g)].map((m) => m[1]).filter((n) => n !== 'endpoints'),
    ).toEqual([...ENDPOINTS]);
    const example = doc('admin-api.md')
      .split('\n')
      .find((line) => line.includes('endpoints: ["embeddings"] #'));
    expect(example?.split('# ')[1].split(';')[0].split(/,\s*/)).toEqual([...ENDPOINTS]);
  });
});
