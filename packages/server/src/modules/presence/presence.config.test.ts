import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';

describe('presence config', () => {
  it('defaults to 5 min idle, 60 s heartbeat timeout, 5 s grace', () => {
    expect(loadConfig({}, { isTTY: false }).presence).toEqual({
      idleMs: 300_000,
      heartbeatTimeoutMs: 60_000,
      offlineGraceMs: 5_000,
    });
  });

  it('stops the boot on a bad value, naming the variable', () => {
    expect(() => loadConfig({ PRESENCE_IDLE_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ PRESENCE_IDLE_MS: 'soon' })).toThrow(/^PRESENCE_IDLE_MS: /);
    expect(() => loadConfig({ PRESENCE_HEARTBEAT_TIMEOUT_MS: '10' })).toThrow(/^PRESENCE_HEARTBEAT_TIMEOUT_MS: /);
    expect(() => loadConfig({ PRESENCE_OFFLINE_GRACE_MS: '-1' })).toThrow(/^PRESENCE_OFFLINE_GRACE_MS: /);
  });
});
