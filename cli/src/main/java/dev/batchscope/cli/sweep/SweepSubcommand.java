package dev.batchscope.cli.sweep;

import dev.batchscope.cli.Subcommand;

/** The base of the sweep subcommands (the shared parts live in {@link Subcommand}). */
abstract class SweepSubcommand extends Subcommand {
}
