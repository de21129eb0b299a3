/**
 * What a store may offer beyond the public SPI that exactly one part of racelab reads: each an
 * interface the store also implements, found with {@code instanceof}, so the SPI stays the
 * roles and their values.
 */
package dev.racelab.internal.traits;
