import type { EngineGeneration } from './generation';
import { GENERATION_0_11 } from './generation-0-11';
import { GENERATION_0_13 } from './generation-0-13';
import { GENERATION_0_23 } from './generation-0-23';
import { GENERATION_0_25 } from './generation-0-25';
import { GENERATION_0_26 } from './generation-0-26';
import type { GenerationProfile } from './generation-profile';

export const GENERATION_PROFILES: Record<EngineGeneration, GenerationProfile> = {
  '0.26': GENERATION_0_26,
  '0.25': GENERATION_0_25,
  '0.23': GENERATION_0_23,
  '0.13': GENERATION_0_13,
  '0.11': GENERATION_0_11,
};
