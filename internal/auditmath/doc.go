// Package auditmath is the mathematics of triplicate's audits, with no I/O:
// the public-seed sampler that anyone can rerun (Rivest's consistent
// sampler, as Arlo uses it), risk measurement and sample sizes for ballot
// polling (BRAVO, Minerva) and batch comparison (MACRO), SHANGRLA
// assertions for every contest rule tested by ALPHA, and the quick
// count's estimates. doc/spec/audit.md states the math and its assumptions;
// every reference value the tests use is in testdata with its source named.
package auditmath
