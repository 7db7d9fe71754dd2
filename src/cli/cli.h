/* cli.h — what every subcommand file shares: its entry point signature,
 * the data-directory default, and small helpers for options and errors.
 * Each src/cli/<command>.c parses its own options and calls into the rooms
 * below; no command knows about another. */
#ifndef PREP_CLI_H
#define PREP_CLI_H

#include <stdio.h>

#include "util/err.h"

typedef int (*prep_cmd_fn)(int argc, char **argv);

/* Subcommands (one file each). argv[0] is the subcommand name. */
int cmd_init(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_corte(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_ceremony(int argc, char **argv);

/* --data DIR, else $PREP_DATA, else ./prep-data */
const char *cli_default_data(void);

/* Print "prep <cmd>: <msg>" to stderr; returns exit status 1. */
int cli_fail(const char *cmd, const prep_err *err);
int cli_failf(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open the store of data and load its catalog; on failure print why
 * ("no catálogo loaded in DIR" included) and return 1, with nothing open. */
struct prep_store;
struct prep_catalog;
int cli_open_catalog(const char *cmd, const char *data, struct prep_store **st,
                     struct prep_catalog *cat);

/* 1 if argv[i] is -h or --help. */
int cli_is_help(const char *arg);

/* Parse a non-negative int option value; -1 on error (prints why). */
int cli_int(const char *cmd, const char *opt, const char *val, long min, long max, long *out);

#endif
