/**
 * racelab's JUnit 5 extension: races the user's own code on their database and checks an
 * invariant with racelab's checker.
 */
package dev.racelab.junit;
