/** The fuzz variants of even index (fuzz-suite.ts says what they check; fuzz-odd.test.ts runs the others). */
import { fuzzSuite } from './fuzz-suite.js';

fuzzSuite(0, 2);
