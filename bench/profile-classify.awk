# bench/profile-classify.awk: sorts `perf script -F comm,pid,tid,period,ip,sym,dso` samples of
# ianawatch into the parts of an import (read, XML parse, hashing, SQLite, zstd...) and prints
# CPU milliseconds per import for each, how much of it the kernel spent on its behalf and how
# much ran in a second thread. Set -v runs=N (imports profiled).
#
# A sample belongs to the nearest frame, from the leaf up, in a library or function that names
# a part: libc and the kernel are skipped so that a memcpy or a page fault counts for whoever
# asked for it. Hashing is split by who called SHA-256, zstd by compress or decompress.

function dso_of(line) {
	if (match(line, /\([^()]*\)$/))
		return substr(line, RSTART + 1, RLENGTH - 2)
	return ""
}

function sym_of(line,    s) {
	s = line
	sub(/^[ \t]*[0-9a-f]+ /, "", s)
	sub(/ \([^()]*\)$/, "", s)
	sub(/\+0x[0-9a-f]+$/, "", s)
	return s
}

function has(fn,    i) {
	for (i = 1; i <= nf; i++)
		if (fsym[i] == fn)
			return 1
	return 0
}

function has_re(re,    i) {
	for (i = 1; i <= nf; i++)
		if (fsym[i] ~ re)
			return 1
	return 0
}

# The library a frame belongs to; inlined frames carry no library, so their name decides.
function owner_of(i,    d, s) {
	d = fdso[i]
	s = fsym[i]
	if (d == "inlined" || d == "[unknown]") {
		if (s ~ /^ZSTD_|^HUF_|^FSE_/) return "zstd"
		if (s ~ /^xml|^xmlSAX|^htmlParse/) return "xml"
		if (s ~ /^sqlite3/) return "sqlite"
		if (s ~ /^(parse_|sax_|registry_|iw_|import_|store_|raw_|span_|ser_|cmd_|cli_)/) return "ours"
		return ""
	}
	if (d ~ /libzstd/) return "zstd"
	if (d ~ /libxml2/) return "xml"
	if (d ~ /libsqlite3/) return "sqlite"
	if (d ~ /libcrypto/) return "crypto"
	if (d ~ /ld-linux/) return "ld"
	if (d ~ /\/ianawatch$/) return "ours"
	return ""
}

function classify(    i, o, s, anyuser, leaf) {
	anyuser = 0
	leaf = ""
	for (i = 1; i <= nf; i++) {
		if (fdso[i] != "[kernel.kallsyms]") {
			anyuser = 1
			if (leaf == "")
				leaf = fsym[i]
		}
		o = owner_of(i)
		s = fsym[i]
		if (o == "")
			continue
		if (o == "zstd" || s ~ /^raw_(compress|decompress)$/)
			return has("raw_decompress") ? "zstd: decompress the previous newest" \
			     : has("raw_compress") ? "zstd: compress (new alone + previous as delta)" : "zstd: other"
		if (o == "crypto" || s == "iw_sha256")
			return has_re("^registry_(record|person)_identity$") ? "identity hashing: SHA-256" \
			     : has("store_import") ? "document SHA-256" : "SHA-256: caller not unwound"
		if (o == "xml")
			return "XML parse: libxml2"
		if (o == "sqlite")
			return has("raw_job_run") ? "SQLite: raw job reads the previous newest" \
			     : has("store_raw_put") ? "SQLite: raw archive writes" \
			     : has("store_import") ? "SQLite: spans, records, snapshot" \
			     : "SQLite: caller not unwound"
		if (o == "ld")
			return "process start: dynamic linking"
		# our own code
		if (has_re("^registry_(record|person)_identity$") || s ~ /^ser_/)
			return "identity hashing: serialising"
		if (has("registry_doc_number_occurrences") || s ~ /^registry_(keyed|key)_cmp$/)
			return "occurrence numbering (qsort)"
		if (has("registry_parse") || s ~ /^(sax_|parse_)/ || s ~ /^registry_doc_(strndup|add_)/)
			return "XML parse: our SAX callbacks"
		if (has_re("^iw_(read_file|gunzip)$"))
			return "read + gunzip"
		if (has_re("^(import_items|import_run|store_import|span_map_)"))
			return "span logic (ours)"
		if (has_re("^registry_doc_free$"))
			return "freeing the document"
		return "ianawatch: other (" s ")"
	}
	if (!anyuser)
		return "kernel: exec, exit, no user frames"
	# The unwinder stopped in libc: the system call or routine says who it was for.
	if (leaf ~ /libc_read$|^read$/)
		return "read + gunzip"
	if (leaf ~ /pwrite|pread|fdatasync|fsync|ftruncate|unlink|fcntl|open64|close|fstatat|access/)
		return "SQLite: file I/O (pread, pwrite, fsync)"
	if (leaf ~ /munmap|mprotect|mmap|brk|mremap|malloc|free|sysmalloc|consolidate/)
		return "malloc/free, page faults (caller not unwound)"
	if (leaf ~ /msort|registry_keyed_cmp/)
		return "occurrence numbering (qsort)"
	if (leaf ~ /mem(cpy|set|move|cmp)|str(len|cmp|chr)/)
		return "memcpy/memset/... (caller not unwound)"
	return "libc/kernel: other (" leaf ")"
}

function flush() {
	if (!inside)
		return
	if (nf > 0 || period > 0) {
		b = classify()
		ms[b] += period / 1e6
		total += period / 1e6
		if (nf > 0 && fdso[1] == "[kernel.kallsyms]") {
			kms[b] += period / 1e6
			ktotal += period / 1e6
		}
		if (tid != pid) {
			wms[b] += period / 1e6
			worker += period / 1e6
		}
	}
	inside = 0
	nf = 0
}

/^[^ \t]/ {
	flush()
	if ($1 != "ianawatch")
		next
	inside = 1
	# "comm pid/tid period"
	split($2, ids, "/")
	pid = ids[1]
	tid = ids[2]
	period = $3
	next
}

/^[ \t]+[0-9a-f]+ / {
	if (!inside)
		next
	nf++
	fdso[nf] = dso_of($0)
	fsym[nf] = sym_of($0)
	next
}

END {
	flush()
	if (runs < 1)
		runs = 1
	printf "%-50s %9s %6s %9s %9s\n", "part of one import (CPU time)", "ms/import", "share", "in kernel", "in thread"
	n = 0
	for (b in ms)
		order[++n] = b
	# insertion sort by time, descending
	for (i = 2; i <= n; i++) {
		v = order[i]
		for (j = i - 1; j >= 1 && ms[order[j]] < ms[v]; j--)
			order[j + 1] = order[j]
		order[j + 1] = v
	}
	for (i = 1; i <= n; i++)
		if (ms[order[i]] / runs >= 0.05)
			printf "%-50s %9.1f %5.1f%% %9.1f %9.1f\n", order[i], ms[order[i]] / runs,
			       100 * ms[order[i]] / total, kms[order[i]] / runs, wms[order[i]] / runs
	printf "%-50s %9.1f %5.1f%% %9.1f %9.1f\n", "total", total / runs, 100, ktotal / runs, worker / runs
	print "(in kernel: page faults, read/write and mmap on the part's behalf; in thread: run by the"
	print "raw-archive thread beside the parse, so off the critical path on an idle second core)"
}
