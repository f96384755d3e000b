/* SPDX-License-Identifier: MIT */
/*
 * Function names for reports, as the kernel's kallsyms gives them to %pS.
 *
 * dladdr() cannot be used: it takes the loader's lock (not
 * async-signal-safe, and reports come from hardirq handlers) and it only
 * knows exported symbols, while driver callbacks are usually static. So
 * usoftirq keeps its own table: at machine creation, if the set of loaded
 * objects changed, it reads the .symtab (or, when stripped, the .dynsym)
 * of every loaded ELF object, sorts the function symbols by address and
 * publishes the table with one atomic pointer store. Lookups are a binary
 * search over that immutable table, safe anywhere.
 *
 * A table, once published, is never freed: a signal handler may be
 * searching it at any moment. A new one is built only when objects were
 * loaded or unloaded (dl_iterate_phdr's adds/subs counters), which in
 * practice means once per process plus once per dlopen().
 */
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

struct sym {
	uintptr_t start;
	size_t size;
	const char *name;
};

struct symtab {
	size_t n;
	struct sym *syms;
	unsigned long long adds, subs;
};

struct builder {
	struct sym *syms;
	size_t n, cap;
	bool failed;
};

static _Atomic(struct symtab *) current_table;
static pthread_mutex_t refresh_lock = PTHREAD_MUTEX_INITIALIZER;

/* ------------------------------------------------------------------ */
/* Building                                                            */
/* ------------------------------------------------------------------ */

static void add_sym(struct builder *b, uintptr_t start, size_t size,
		    const char *name)
{
	struct sym *grown;
	char *copy;

	if (b->failed)
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 1024;
		grown = realloc(b->syms, b->cap * sizeof(*grown));
		if (!grown) {
			b->failed = true;
			return;
		}
		b->syms = grown;
	}
	copy = strdup(name);
	if (!copy) {
		b->failed = true;
		return;
	}
	b->syms[b->n++] = (struct sym){ start, size, copy };
}

static const ElfW(Shdr) * find_symbols(const ElfW(Ehdr) * eh, size_t len)
{
	const ElfW(Shdr) *sh = (const void *)((const char *)eh + eh->e_shoff);
	const ElfW(Shdr) *dynsym = NULL;

	if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(*sh) ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(*sh) > len)
		return NULL;
	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type == SHT_SYMTAB)
			return &sh[i];
		if (sh[i].sh_type == SHT_DYNSYM)
			dynsym = &sh[i];
	}
	return dynsym;
}

static bool is_function(const ElfW(Sym) * s)
{
	unsigned int type = ELF64_ST_TYPE(s->st_info);

	return (type == STT_FUNC || type == STT_GNU_IFUNC) &&
	       s->st_shndx != SHN_UNDEF && s->st_value != 0;
}

static void read_elf(struct builder *b, const char *image, size_t len,
		     uintptr_t bias)
{
	const ElfW(Ehdr) *eh = (const void *)image;
	const ElfW(Shdr) * symsec, *strsec;
	const ElfW(Sym) * syms;
	const char *strs;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return;
	symsec = find_symbols(eh, len);
	if (!symsec || symsec->sh_link >= eh->e_shnum)
		return;
	strsec = (const ElfW(Shdr) *)(image + eh->e_shoff) + symsec->sh_link;
	if (symsec->sh_offset + symsec->sh_size > len ||
	    strsec->sh_offset + strsec->sh_size > len)
		return;
	syms = (const void *)(image + symsec->sh_offset);
	strs = image + strsec->sh_offset;
	for (size_t i = 0; i < symsec->sh_size / sizeof(*syms); i++)
		if (is_function(&syms[i]) && syms[i].st_name < strsec->sh_size)
			add_sym(b, bias + syms[i].st_value, syms[i].st_size,
				strs + syms[i].st_name);
}

static void read_object(struct builder *b, const char *path, uintptr_t bias)
{
	struct stat st;
	void *image;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		image = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			     fd, 0);
		if (image != MAP_FAILED) {
			read_elf(b, image, (size_t)st.st_size, bias);
			munmap(image, (size_t)st.st_size);
		}
	}
	close(fd);
}

static int visit_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *path = info->dlpi_name;

	(void)size;
	if (!path || !*path)
		path = "/proc/self/exe";
	read_object(arg, path, (uintptr_t)info->dlpi_addr);
	return 0;
}

struct load_counts {
	unsigned long long adds, subs;
};

static int read_counts(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct load_counts *c = arg;

	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) +
			    sizeof(info->dlpi_subs)) {
		c->adds = info->dlpi_adds;
		c->subs = info->dlpi_subs;
	}
	return 1;
}

/* Lower address first; among aliases, fewer leading underscores first. */
static int compare_syms(const void *pa, const void *pb)
{
	const struct sym *a = pa, *b = pb;
	size_t ua = strspn(a->name, "_"), ub = strspn(b->name, "_");

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return strcmp(a->name, b->name);
}

static size_t drop_aliases(struct sym *syms, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		if (kept && syms[kept - 1].start == syms[i].start) {
			free((char *)syms[i].name);
			continue;
		}
		syms[kept++] = syms[i];
	}
	return kept;
}

static void free_builder(struct builder *b)
{
	for (size_t i = 0; i < b->n; i++)
		free((char *)b->syms[i].name);
	free(b->syms);
}

void usoftirq__symbols_refresh(void)
{
	struct symtab *old, *fresh;
	struct load_counts counts = { 0, 0 };
	struct builder b = { 0 };

	pthread_mutex_lock(&refresh_lock);
	dl_iterate_phdr(read_counts, &counts);
	old = atomic_load_explicit(&current_table, memory_order_acquire);
	if (old && old->adds == counts.adds && old->subs == counts.subs)
		goto out;
	dl_iterate_phdr(visit_object, &b);
	fresh = malloc(sizeof(*fresh));
	if (b.failed || !fresh) {
		free(fresh);
		free_builder(&b);
		goto out;
	}
	qsort(b.syms, b.n, sizeof(*b.syms), compare_syms);
	*fresh = (struct symtab){ drop_aliases(b.syms, b.n), b.syms,
				  counts.adds, counts.subs };
	/* Release: readers see a fully built table. The old one stays
	 * allocated on purpose (see the top of the file). */
	atomic_store_explicit(&current_table, fresh, memory_order_release);
out:
	pthread_mutex_unlock(&refresh_lock);
}

/* ------------------------------------------------------------------ */
/* Lookup                                                              */
/* ------------------------------------------------------------------ */

/*
 * Build the first table when the library is loaded, so that %pS and the
 * lock reports name functions before any machine exists (spin locks and
 * printk work without one). Lookups never build: they may run in a signal
 * handler, where reading files and allocating are not allowed.
 */
__attribute__((constructor)) static void build_initial_table(void)
{
	usoftirq__symbols_refresh();
}

static const struct sym *lookup(const struct symtab *t, uintptr_t addr)
{
	size_t lo = 0, hi = t->n;
	const struct sym *s;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	s = &t->syms[lo - 1];
	if (addr == s->start || addr - s->start < s->size)
		return s;
	return NULL;
}

const char *usoftirq__symbolize(const void *addr, char *buf, size_t size,
				int style)
{
	const struct symtab *t =
		atomic_load_explicit(&current_table, memory_order_acquire);
	const struct sym *s = t ? lookup(t, (uintptr_t)addr) : NULL;
	unsigned long off;

	if (!s) {
		/* As the kernel's %pS of an unknown address: "0x0" for NULL. */
		usoftirq__format(buf, size, "0x%lx",
				 (unsigned long)(uintptr_t)addr);
		return buf;
	}
	off = (unsigned long)((uintptr_t)addr - s->start);
	if (style == USOFTIRQ__SYM_FULL)
		usoftirq__format(buf, size, "%s+0x%lx/0x%lx", s->name, off,
				 (unsigned long)s->size);
	else
		usoftirq__format(buf, size, "%s", s->name);
	return buf;
}
