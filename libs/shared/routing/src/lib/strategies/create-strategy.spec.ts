import { createStrategy } from './create-strategy';
import { STRATEGY_NAMES } from './strategy-name';

describe(createStrategy.name, () => {
  it('makes a fresh instance of every strategy by name', () => {
    for (const name of STRATEGY_NAMES) {
      const strategy = createStrategy(name);
      expect(strategy.name).toBe(name);
      expect(createStrategy(name)).not.toBe(strategy);
    }
  });
});
