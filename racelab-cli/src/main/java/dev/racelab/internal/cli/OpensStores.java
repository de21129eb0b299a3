package dev.racelab.internal.cli;

/** A command that opens stores: it gets a flag for every store setting in the registry (see {@link StoreFlags}). */
interface OpensStores {
}
