/**
 * The {@code runledger} command line: {@code serve}, {@code worker}, {@code trigger},
 * {@code runs}, {@code get}, {@code cancel}, {@code tail} and {@code bench}.
 */
package io.runledger.server.cli;
