/**
 * Money: the price table (built in, extended by the user) and the ledger that bills answers and
 * holds reservations under the cost cap. Part of gkr's internals: public to the compiler, not API
 * (no compatibility promise); see the README's Architecture section.
 */
package dev.gkr.internal.cost;
