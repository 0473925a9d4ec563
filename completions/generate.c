/* generate.c: writes the bash and zsh completions of ianawatch from the command and option
 * tables, at build time, so that they cannot drift from what the commands accept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "watch/watch.h"
#include "common/banned.h"

/* What completes an option's value or a command's operands. */
typedef enum completion_class {
	COMPLETE_NONE,   /* the option takes no value */
	COMPLETE_OTHER,  /* a value nothing can suggest (a port, a URL) */
	COMPLETE_FORMAT, /* one of the option's formats */
	COMPLETE_KINDS,  /* change kinds, comma-separated (diff/diff.h's words) */
	COMPLETE_SEVERITY, /* a severity (watch/watch.h's words) */
	COMPLETE_DATE,   /* a snapshot's registry date, from `ianawatch snapshots` */
	COMPLETE_FILE,
	COMPLETE_DIR,
} completion_class;

typedef struct completion_command {
	const char *summary;
	const cli_command_spec *(*spec)(void);
} completion_command;

#define COMPLETION_ENTRY(name, summary) {summary, cli_spec_##name},
static const completion_command completion_commands[] = {CLI_COMMANDS(COMPLETION_ENTRY)};
#undef COMPLETION_ENTRY
#define COMPLETION_NCOMMANDS (sizeof(completion_commands) / sizeof(*completion_commands))

/* Words naming what an argument is, as the tables' arg_name and synopses spell them. */
static completion_class completion_word_class(const char *w, size_t len)
{
	static const struct {
		const char *word;
		completion_class c;
	} words[] = {
		{"DATE", COMPLETE_DATE}, {"SNAPSHOT", COMPLETE_DATE}, {"FROM", COMPLETE_DATE},
		{"TO", COMPLETE_DATE},   {"FILE", COMPLETE_FILE},     {"TSV", COMPLETE_FILE},
		{"PATH", COMPLETE_FILE}, {"DIR", COMPLETE_DIR},       {"REPO", COMPLETE_DIR},
	};
	size_t i;
	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i].word) == len && !strncmp(words[i].word, w, len))
			return words[i].c;
	return COMPLETE_OTHER;
}

static completion_class completion_option_class(const cli_option *o)
{
	switch (o->kind) {
	case CLI_OPT_FLAG:
	case CLI_OPT_COUNT:
	case CLI_OPT_HELP:
	case CLI_OPT_QUIET:
	case CLI_OPT_END:
		return COMPLETE_NONE;
	case CLI_OPT_FORMAT:
		return COMPLETE_FORMAT;
	case CLI_OPT_DATE:
		return COMPLETE_DATE;
	default:
		break;
	}
	if (o->long_name && !strcmp(o->long_name, "kind"))
		return COMPLETE_KINDS;
	if (o->long_name && !strcmp(o->long_name, "min-severity"))
		return COMPLETE_SEVERITY;
	return o->arg_name ? completion_word_class(o->arg_name, strlen(o->arg_name))
	                   : COMPLETE_OTHER;
}

/* What the operands are, from the synopsis: the first word that names something completable
 * ("[FROM [TO]]", "SNAPSHOT", "FILE...", "REPO"), skipping the arguments of options. */
static completion_class completion_operand_class(const cli_command_spec *spec)
{
	const char *p = spec->synopsis;
	int after_option = 0;
	while (*p) {
		const char *w, *e;
		size_t len;
		int opt, closed;
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (!*p)
			break;
		for (e = p; *e && *e != ' ' && *e != '\n' && *e != '\t'; e++)
			;
		w = p;
		p = e;
		closed = e[-1] == ']';
		while (w < e && (*w == '[' || *w == '('))
			w++;
		opt = w < e && *w == '-';
		if (opt) {
			after_option = !closed;
			continue;
		}
		if (after_option) {
			after_option = 0;
			continue;
		}
		for (len = 0; w + len < e && ((w[len] >= 'A' && w[len] <= 'Z') || w[len] == '-'); len++)
			;
		if (len && completion_word_class(w, len) != COMPLETE_OTHER)
			return completion_word_class(w, len);
	}
	return COMPLETE_OTHER;
}

/* Every format a FORMAT option accepts, space-separated. */
static void completion_formats(const cli_option *o, iw_buf *b)
{
	unsigned f;
	const char *name;
	for (f = 0; (name = cli_format_name(f)); f++)
		if (o->min & (1L << f))
			iw_buf_printf(b, "%s%s", b->len ? " " : "", name);
}

static void completion_severities(iw_buf *b)
{
	size_t i;
	for (i = 0; i < WATCH_NSEVERITIES; i++)
		iw_buf_printf(b, "%s%s", i ? " " : "", watch_severity_names[i]);
}

static void completion_kinds(iw_buf *b)
{
	size_t i;
	for (i = 0; i < DIFF_NSHOWN; i++)
		iw_buf_printf(b, "%s%s", i ? " " : "", diff_kind_words[diff_shown_order[i]].name);
}

/* The global options (cli/main.c and cli/options.c), accepted before and after the command,
 * that a command's own table may list too: --db, which every command takes, comes first. */
static const struct {
	const char *long_name;
	char short_name;
	int repeat; /* given more than once, it counts */
	const char *help;
} completion_globals[] = {
	{"verbose", 'v', 1, "say what is being done, on stderr"},
	{"quiet", 'q', 0, "print nothing but errors"},
};
#define COMPLETION_NGLOBALS (sizeof(completion_globals) / sizeof(*completion_globals))

static int completion_has_long(const cli_option *opts, const char *name)
{
	for (; opts->kind != CLI_OPT_END; opts++)
		if (opts->long_name && !strcmp(opts->long_name, name))
			return 1;
	return 0;
}

static int completion_has_short(const cli_option *opts, char c)
{
	for (; opts->kind != CLI_OPT_END; opts++)
		if (opts->short_name == c)
			return 1;
	return 0;
}

/* Writes every command's case of the shell's `case` on the command name, in the table's order:
 * one(b, spec, what the command's operands are). */
static void completion_cases(iw_buf *b,
                             void (*one)(iw_buf *b, const cli_command_spec *spec,
                                         completion_class operands))
{
	size_t i;
	for (i = 0; i < COMPLETION_NCOMMANDS; i++) {
		const cli_command_spec *spec = completion_commands[i].spec();
		one(b, spec, completion_operand_class(spec));
	}
}

/* Calls name(b, o, is_long) for every name of every option of spec, the long one first. */
static void completion_option_names(iw_buf *b, const cli_command_spec *spec,
                                    void (*name)(iw_buf *b, const cli_option *o, int is_long))
{
	const cli_option *o;
	for (o = spec->options; o->kind != CLI_OPT_END; o++) {
		if (o->long_name)
			name(b, o, 1);
		if (o->short_name)
			name(b, o, 0);
	}
}

/* ---- bash ---------------------------------------------------------------------------------- */

static void completion_bash_name(iw_buf *b, const cli_option *o, int is_long)
{
	if (is_long)
		iw_buf_printf(b, "--%s ", o->long_name);
	else
		iw_buf_printf(b, "-%c ", o->short_name);
}

static const char *completion_bash_call(completion_class c)
{
	switch (c) {
	case COMPLETE_DATE:
		return "_ianawatch_snapshot_dates";
	case COMPLETE_FILE:
		return "_ianawatch_files";
	case COMPLETE_DIR:
		return "_ianawatch_dirs";
	default:
		return NULL;
	}
}

static void completion_bash_value_case(iw_buf *b, const char *pattern, const cli_option *o)
{
	completion_class c = completion_option_class(o);
	iw_buf words = IW_BUF_INIT(4096);
	if (c == COMPLETE_NONE)
		return;
	iw_buf_printf(b, "\t\t%s)", pattern);
	if (c == COMPLETE_FORMAT || c == COMPLETE_KINDS || c == COMPLETE_SEVERITY) {
		if (c == COMPLETE_FORMAT)
			completion_formats(o, &words);
		else if (c == COMPLETE_SEVERITY)
			completion_severities(&words);
		else
			completion_kinds(&words);
		iw_buf_printf(b, " %s \"%s\";",
		              c == COMPLETE_KINDS ? "_ianawatch_list" : "_ianawatch_words",
		              words.data ? words.data : "");
	} else if (completion_bash_call(c)) {
		iw_buf_printf(b, " %s;", completion_bash_call(c));
	}
	iw_buf_adds(b, " return ;;\n");
	iw_buf_free(&words);
}

/* A command's options in $opts, then what completes the value of the one before the cursor,
 * then its operands. */
static void completion_bash_case(iw_buf *b, const cli_command_spec *spec,
                                 completion_class operands)
{
	const cli_option *o;
	size_t g;
	iw_buf_printf(b, "\t%s)\n\t\topts=\"", spec->name);
	completion_option_names(b, spec, completion_bash_name);
	iw_buf_adds(b, "--db");
	for (g = 0; g < COMPLETION_NGLOBALS; g++)
		if (!completion_has_long(spec->options, completion_globals[g].long_name))
			iw_buf_printf(b, " --%s", completion_globals[g].long_name);
	iw_buf_adds(b, "\"\n\t\tcase $prev in\n");
	for (o = spec->options; o->kind != CLI_OPT_END; o++) {
		char pattern[128];
		if (o->long_name && o->short_name)
			snprintf(pattern, sizeof(pattern), "--%s | -%c", o->long_name, o->short_name);
		else if (o->long_name)
			snprintf(pattern, sizeof(pattern), "--%s", o->long_name);
		else
			snprintf(pattern, sizeof(pattern), "-%c", o->short_name);
		completion_bash_value_case(b, pattern, o);
	}
	iw_buf_adds(b, "\t\t--db) _ianawatch_files; return ;;\n\t\tesac\n");
	if (completion_bash_call(operands))
		iw_buf_printf(b, "\t\t[[ $cur != -* ]] && { %s; return; }\n",
		              completion_bash_call(operands));
	iw_buf_adds(b, "\t\t;;\n");
}

static void completion_bash(iw_buf *b)
{
	size_t i;
	iw_buf_adds(b,
	    "# bash completion for ianawatch(1)                         -*- shell-script -*-\n"
	    "# Generated from the command and option tables (cli/cli.h, cli/cmd_*.c) by\n"
	    "# completions/generate.c at build time: do not edit.\n"
	    "\n"
	    "# The registry dates of the stored snapshots, asking the database named by --db on the\n"
	    "# command line (else $IANAWATCH_DB or the default) through the program being completed.\n"
	    "_ianawatch_snapshot_dates()\n"
	    "{\n"
	    "\tlocal i prog=${COMP_WORDS[0]} db=()\n"
	    "\tfor ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do\n"
	    "\t\tif [[ ${COMP_WORDS[i]} == --db && $i -lt $COMP_CWORD ]]; then\n"
	    "\t\t\tif [[ ${COMP_WORDS[i+1]} == = ]]; then\n"
	    "\t\t\t\tdb=(--db \"${COMP_WORDS[i+2]}\")\n"
	    "\t\t\telse\n"
	    "\t\t\t\tdb=(--db \"${COMP_WORDS[i+1]}\")\n"
	    "\t\t\tfi\n"
	    "\t\telif [[ ${COMP_WORDS[i]} == --db=?* ]]; then\n"
	    "\t\t\tdb=(--db \"${COMP_WORDS[i]#--db=}\")\n"
	    "\t\tfi\n"
	    "\tdone\n"
	    "\t[[ ${#db[@]} -eq 2 ]] && db[1]=${db[1]/#\\~/$HOME}\n"
	    "\tprog=${prog/#\\~/$HOME}\n"
	    "\tCOMPREPLY=($(compgen -W \"$(\"$prog\" \"${db[@]}\" snapshots --format text 2>/dev/null |\n"
	    "\t\tawk 'NR > 1 && !seen[$2]++ { print $2 }')\" -- \"$cur\"))\n"
	    "}\n"
	    "\n"
	    "_ianawatch_words()\n"
	    "{\n"
	    "\tCOMPREPLY=($(compgen -W \"$1\" -- \"$cur\"))\n"
	    "}\n"
	    "\n"
	    "# A comma-separated list (--kind moved,renamed): completes the last item.\n"
	    "_ianawatch_list()\n"
	    "{\n"
	    "\tlocal pre=\n"
	    "\t[[ $cur == *,* ]] && pre=${cur%,*},\n"
	    "\tCOMPREPLY=($(compgen -P \"$pre\" -W \"$1\" -- \"${cur##*,}\"))\n"
	    "}\n"
	    "\n"
	    "_ianawatch_files()\n"
	    "{\n"
	    "\tcompopt -o filenames 2>/dev/null\n"
	    "\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	    "}\n"
	    "\n"
	    "_ianawatch_dirs()\n"
	    "{\n"
	    "\tcompopt -o filenames 2>/dev/null\n"
	    "\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n"
	    "}\n"
	    "\n"
	    "_ianawatch()\n"
	    "{\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= opts= i\n"
	    "\tCOMPREPLY=()\n"
	    "\t((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\t# --opt=value: bash splits the word at '=' (COMP_WORDBREAKS).\n"
	    "\tif [[ $cur == = ]]; then\n"
	    "\t\tcur=\n"
	    "\telif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
	    "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n"
	    "\tfi\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tcase ${COMP_WORDS[i]} in\n"
	    "\t\t--db) [[ ${COMP_WORDS[i+1]} == = ]] && ((i++)); ((i++)) ;;\n"
	    "\t\t-* | =) ;;\n"
	    "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "\tif [[ -z $cmd ]]; then\n"
	    "\t\tcase $prev in\n"
	    "\t\t--db) _ianawatch_files; return ;;\n"
	    "\t\tesac\n"
	    "\t\tif [[ $cur == -* ]]; then\n"
	    "\t\t\t_ianawatch_words \"--db --verbose --quiet --version --help -v -q -h\"\n"
	    "\t\telse\n"
	    "\t\t\t_ianawatch_words \"");
	for (i = 0; i < COMPLETION_NCOMMANDS; i++)
		iw_buf_printf(b, "%s%s", i ? " " : "", completion_commands[i].spec()->name);
	iw_buf_adds(b, "\"\n"
	               "\t\tfi\n"
	               "\t\treturn\n"
	               "\tfi\n"
	               "\tcase $cmd in\n");
	completion_cases(b, completion_bash_case);
	iw_buf_adds(b, "\t*) return ;;\n"
	               "\tesac\n"
	               "\t[[ $cur == -* ]] && _ianawatch_words \"$opts\"\n"
	               "}\n"
	               "complete -F _ianawatch ianawatch\n");
}

/* ---- zsh ----------------------------------------------------------------------------------- */

/* Text inside a single-quoted _arguments spec's [description]: its first line. */
static void completion_zsh_text(iw_buf *b, const char *s)
{
	for (; *s && *s != '\n'; s++) {
		if (*s == '\'')
			iw_buf_adds(b, "'\\''");
		else if (*s == '[' || *s == ']' || *s == ':' || *s == '\\')
			iw_buf_printf(b, "\\%c", *s);
		else
			iw_buf_printf(b, "%c", *s);
	}
}

static void completion_zsh_action(iw_buf *b, completion_class c, const cli_option *o)
{
	iw_buf words = IW_BUF_INIT(4096);
	switch (c) {
	case COMPLETE_FORMAT:
		completion_formats(o, &words);
		iw_buf_printf(b, "(%s)", words.data ? words.data : "");
		break;
	case COMPLETE_KINDS:
		completion_kinds(&words);
		iw_buf_printf(b, "_sequence compadd - %s", words.data ? words.data : "");
		break;
	case COMPLETE_SEVERITY:
		completion_severities(&words);
		iw_buf_printf(b, "(%s)", words.data ? words.data : "");
		break;
	case COMPLETE_DATE:
		iw_buf_adds(b, "_ianawatch_snapshot_dates");
		break;
	case COMPLETE_FILE:
		iw_buf_adds(b, "_files");
		break;
	case COMPLETE_DIR:
		iw_buf_adds(b, "_files -/");
		break;
	default:
		iw_buf_adds(b, " ");
		break;
	}
	iw_buf_free(&words);
}

static void completion_zsh_option(iw_buf *b, const cli_option *o, int is_long)
{
	completion_class c = completion_option_class(o);
	int repeat = o->kind == CLI_OPT_LIST || o->kind == CLI_OPT_COUNT;
	iw_buf_printf(b, " \\\n\t\t\t'%s", repeat ? "*" : "");
	if (is_long)
		iw_buf_printf(b, "--%s%s", o->long_name, c == COMPLETE_NONE ? "" : "=");
	else
		iw_buf_printf(b, "-%c%s", o->short_name, c == COMPLETE_NONE ? "" : "+");
	iw_buf_adds(b, "[");
	completion_zsh_text(b, o->help);
	iw_buf_adds(b, "]");
	if (c != COMPLETE_NONE) {
		iw_buf_adds(b, ":");
		completion_zsh_text(b, o->arg_name ? o->arg_name : "value");
		iw_buf_adds(b, ":");
		completion_zsh_action(b, c, o);
	}
	iw_buf_adds(b, "'");
}

/* A command's _arguments: its options, the global ones its table does not list, operands. */
static void completion_zsh_case(iw_buf *b, const cli_command_spec *spec,
                                completion_class operands)
{
	size_t g;
	iw_buf_printf(b, "\t%s)\n\t\t_arguments -s -S", spec->name);
	completion_option_names(b, spec, completion_zsh_option);
	iw_buf_adds(b, " \\\n\t\t\t'--db=[the database]:database:_files'");
	for (g = 0; g < COMPLETION_NGLOBALS; g++) {
		const char *repeat = completion_globals[g].repeat ? "*" : "";
		if (!completion_has_long(spec->options, completion_globals[g].long_name))
			iw_buf_printf(b, " \\\n\t\t\t'%s--%s[%s]'", repeat,
			              completion_globals[g].long_name, completion_globals[g].help);
		if (!completion_has_short(spec->options, completion_globals[g].short_name))
			iw_buf_printf(b, " \\\n\t\t\t'%s-%c[%s]'", repeat,
			              completion_globals[g].short_name, completion_globals[g].help);
	}
	iw_buf_adds(b, " \\\n\t\t\t'*:operand:");
	completion_zsh_action(b, operands, NULL);
	iw_buf_adds(b, "' && ret=0\n\t\t;;\n");
}

static void completion_zsh(iw_buf *b)
{
	size_t i;
	iw_buf_adds(b,
	    "#compdef ianawatch\n"
	    "# zsh completion for ianawatch(1). Generated from the command and option tables\n"
	    "# (cli/cli.h, cli/cmd_*.c) by completions/generate.c at build time: do not edit.\n"
	    "\n"
	    "# The registry dates of the stored snapshots, from the database named by --db on the\n"
	    "# command line (else $IANAWATCH_DB or the default).\n"
	    "_ianawatch_snapshot_dates() {\n"
	    "\tlocal -a db dates\n"
	    "\tlocal i\n"
	    "\t[[ -n $_ianawatch_db ]] && db=(--db ${~_ianawatch_db})\n"
	    "\tfor (( i = 1; i < CURRENT; i++ )); do\n"
	    "\t\tcase $words[i] in\n"
	    "\t\t--db) db=(--db ${~words[i+1]}) ;;\n"
	    "\t\t--db=?*) db=(--db ${~words[i]#--db=}) ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "\tdates=(${(f)\"$(${~_ianawatch_prog:-ianawatch} $db snapshots --format text 2>/dev/null |\n"
	    "\t\tawk 'NR > 1 && !seen[$2]++ { print $2 }')\"})\n"
	    "\t_wanted dates expl 'snapshot date' compadd -a dates\n"
	    "}\n"
	    "\n"
	    "_ianawatch_commands() {\n"
	    "\tlocal -a commands\n"
	    "\tcommands=(\n");
	for (i = 0; i < COMPLETION_NCOMMANDS; i++) {
		iw_buf_printf(b, "\t\t'%s:", completion_commands[i].spec()->name);
		completion_zsh_text(b, completion_commands[i].summary);
		iw_buf_adds(b, "'\n");
	}
	iw_buf_adds(b,
	    "\t)\n"
	    "\t_describe -t commands 'ianawatch command' commands\n"
	    "}\n"
	    "\n"
	    "_ianawatch() {\n"
	    "\tlocal curcontext=$curcontext state state_descr line ret=1\n"
	    "\tlocal -A opt_args\n"
	    "\tlocal _ianawatch_prog=$words[1] _ianawatch_db\n"
	    "\t_arguments -C \\\n"
	    "\t\t'--db=[the database]:database:_files' \\\n"
	    "\t\t'*'{-v,--verbose}'[say what is being done, on stderr]' \\\n"
	    "\t\t{-q,--quiet}'[print nothing but errors]' \\\n"
	    "\t\t'--version[print the version and exit]' \\\n"
	    "\t\t{-h,--help}'[print the help and exit]' \\\n"
	    "\t\t'1:command:_ianawatch_commands' \\\n"
	    "\t\t'*::argument:->argument' && ret=0\n"
	    "\t[[ $state == argument ]] || return ret\n"
	    "\t_ianawatch_db=${opt_args[--db]}\n"
	    "\tcurcontext=${curcontext%:*:*}:ianawatch-$words[1]:\n"
	    "\tcase $words[1] in\n");
	completion_cases(b, completion_zsh_case);
	iw_buf_adds(b, "\tesac\n"
	               "\treturn ret\n"
	               "}\n"
	               "\n"
	               "_ianawatch \"$@\"\n");
}

int main(int argc, char **argv)
{
	iw_buf b = IW_BUF_INIT(1u << 20);
	FILE *f;
	int ok;
	if (argc != 3 || (strcmp(argv[1], "bash") && strcmp(argv[1], "zsh"))) {
		fprintf(stderr, "usage: %s bash|zsh OUTPUT\n", argv[0]);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "bash"))
		completion_bash(&b);
	else
		completion_zsh(&b);
	if (iw_buf_error(&b)) {
		fprintf(stderr, "%s: %s\n", argv[0], iw_error_last());
		iw_buf_free(&b);
		return EXIT_TROUBLE;
	}
	if (!(f = fopen(argv[2], "w"))) {
		perror(argv[2]);
		iw_buf_free(&b);
		return EXIT_TROUBLE;
	}
	ok = fwrite(b.data, 1, b.len, f) == b.len;
	ok = !fclose(f) && ok;
	iw_buf_free(&b);
	if (!ok) {
		perror(argv[2]);
		return EXIT_TROUBLE;
	}
	return EXIT_OK;
}
