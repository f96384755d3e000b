/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/module.h>: the UAPI header of the same name first
 * (the MODULE_INIT_* flags of finit_module()), then what a driver's
 * module boilerplate needs: module_init() and module_exit() (see
 * <linux/init.h>: constructors and destructors, or called by the program
 * with USOFTIRQ_KCOMPAT_MANUAL_INIT), THIS_MODULE, struct module,
 * MODULE_LICENSE(), MODULE_AUTHOR(), MODULE_DESCRIPTION(),
 * MODULE_VERSION(), MODULE_ALIAS(), MODULE_SOFTDEP(), MODULE_FIRMWARE(),
 * MODULE_INFO(), MODULE_IMPORT_NS(), MODULE_DEVICE_TABLE(),
 * module_param(), module_param_named(), MODULE_PARM_DESC(),
 * try_module_get(), module_put(), __module_get(), and EXPORT_SYMBOL()
 * from <linux/export.h>.
 *
 * A program is one "module" built in: THIS_MODULE is NULL, as for kernel
 * code that is not a module; reference counting always succeeds. The
 * MODULE_*() tags and the parameter declarations are checked by the
 * compiler (strings must be strings, parameters must exist) and otherwise
 * dropped: there is no modinfo and no command line to set parameters from
 * (set the variable). KBUILD_MODNAME, which kernel builds define for each
 * file and pr_fmt() often uses, must come from the build
 * (-DKBUILD_MODNAME='"mydrv"').
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_MODULE_H
#define USOFTIRQ_KCOMPAT_LINUX_MODULE_H

#if defined(__has_include_next)
#if __has_include_next(<linux/module.h>)
#include_next <linux/module.h>
#endif
#endif

#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/types.h>

struct module;

#define THIS_MODULE ((struct module *)0)

/* A tag: a string literal the compiler checks, nothing in the program. */
#define usoftirq__kc_modinfo(tag, info) _Static_assert(1, tag "=" info)

#define MODULE_INFO(tag, info) usoftirq__kc_modinfo(#tag, info)
#define MODULE_LICENSE(license) usoftirq__kc_modinfo("license", license)
#define MODULE_AUTHOR(author) usoftirq__kc_modinfo("author", author)
#define MODULE_DESCRIPTION(desc) usoftirq__kc_modinfo("description", desc)
#define MODULE_VERSION(version) usoftirq__kc_modinfo("version", version)
#define MODULE_ALIAS(alias) usoftirq__kc_modinfo("alias", alias)
#define MODULE_SOFTDEP(softdep) usoftirq__kc_modinfo("softdep", softdep)
#define MODULE_FIRMWARE(fw) usoftirq__kc_modinfo("firmware", fw)
#define MODULE_IMPORT_NS(ns) _Static_assert(1, "import_ns=" #ns)
#define MODULE_PARM_DESC(parm, desc) \
	usoftirq__kc_modinfo("parm", #parm ":" desc)
/* The table must exist; it is otherwise unused here. */
#define MODULE_DEVICE_TABLE(type, name) \
	_Static_assert(sizeof(name) > 0, "MODULE_DEVICE_TABLE(" #type ")")

/* module_param() - the variable must exist; it keeps its initial value. */
#define module_param_named(name, value, type, perm)            \
	_Static_assert(sizeof(value) > 0 && ((perm) | 1) != 0, \
		       "module_param(" #name ", " #type ")")
#define module_param(name, type, perm) \
	module_param_named(name, name, type, perm)

static inline bool usoftirq__kc_try_module_get(struct module *module)
{
	(void)module;
	return true;
}

static inline void usoftirq__kc_module_put(struct module *module)
{
	(void)module;
}

#define try_module_get usoftirq__kc_try_module_get
#define module_put usoftirq__kc_module_put
#define __module_get usoftirq__kc_module_put

#endif /* USOFTIRQ_KCOMPAT_LINUX_MODULE_H */
