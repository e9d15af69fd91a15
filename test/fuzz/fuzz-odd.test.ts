/** The fuzz variants of odd index (fuzz-suite.ts says what they check; fuzz.test.ts runs the others). */
import { fuzzSuite } from './fuzz-suite.js';

fuzzSuite(1, 2);
