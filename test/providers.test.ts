import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDER, provider, providerDescriptionSchema, providerFromText, providerName, PROVIDERS } from '../src/providers.js';
import { compileDescriptorPattern } from '../src/engine/matching/config.js';

describe('provider descriptions (src/data/providers)', () => {
  it('every shipped description is valid, with a unique id, and its patterns compile', () => {
    expect(PROVIDERS.map((p) => p.id)).toEqual(['openai', 'anthropic']);
    for (const p of PROVIDERS) {
      expect(providerDescriptionSchema.safeParse(p).success).toBe(true);
      for (const pat of [...p.descriptorPatterns, ...p.subscriptionPatterns]) expect(() => compileDescriptorPattern(pat)).not.toThrow();
    }
    expect(provider(DEFAULT_PROVIDER).name).toBe('OpenAI');
  });

  it('a plan descriptor of one provider is not a descriptor of the other', () => {
    const matches = (id: string, text: string) => provider(id).descriptorPatterns.some((p) => compileDescriptorPattern(p).test(text));
    expect(matches('anthropic', 'CLAUDE.AI SUBSCRIPTION ANTHROPIC.COM CA')).toBe(true);
    expect(matches('openai', 'CLAUDE.AI SUBSCRIPTION ANTHROPIC.COM CA')).toBe(false);
    expect(matches('openai', 'OPENAI *CHATGPT SUBSCR OPENAI.COM CA')).toBe(true);
    expect(matches('anthropic', 'OPENAI *CHATGPT SUBSCR OPENAI.COM CA')).toBe(false);
  });

  it('names a provider from an id, a name or an alias in any case; nothing else', () => {
    expect(providerFromText(' Anthropic ')?.id).toBe('anthropic');
    expect(providerFromText('OPENAI')?.id).toBe('openai');
    expect(providerFromText('OpenAI, LLC')?.id).toBe('openai');
    expect(providerFromText('')).toBeNull();
    expect(providerFromText('Acme')).toBeNull();
    expect(providerName('anthropic')).toBe('Anthropic');
    expect(() => provider('acme')).toThrow(/unknown provider/);
  });
});
