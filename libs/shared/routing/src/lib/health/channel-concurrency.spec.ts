import { ChannelConcurrency } from './channel-concurrency';

describe(ChannelConcurrency.name, () => {
  it('is full at its limit, per channel, and frees a slot on release', () => {
    const channels = new ChannelConcurrency(2);
    channels.take('a');
    expect(channels.full('a')).toBe(false);
    channels.take('a');
    expect(channels.full('a')).toBe(true);
    expect(channels.full('b')).toBe(false);
    channels.release('a');
    expect(channels.full('a')).toBe(false);
    expect(channels.inFlight('a')).toBe(1);
  });

  it('never fills without a limit', () => {
    const channels = new ChannelConcurrency(0);
    for (let i = 0; i < 1000; i++) channels.take('a');
    expect(channels.full('a')).toBe(false);
  });
});
