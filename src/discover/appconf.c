/* Finds and reads the app's configuration files in a project directory
 * (appconf.h), in the order a framework gives them precedence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "discover/appconf.h"
#include "util/textfile.h"

static const struct {
	const char *path;
	enum dbl_appconf_kind kind;
} files[] = {
	{".env.local", DBL_APPCONF_DOTENV},
	{".env", DBL_APPCONF_DOTENV},
	{"config/database.yml", DBL_APPCONF_RAILS_YML},
	{"wp-config.php", DBL_APPCONF_WP_CONFIG},
	{"src/main/resources/application.properties",
	 DBL_APPCONF_SPRING_PROPERTIES},
	{"application.properties", DBL_APPCONF_SPRING_PROPERTIES},
	{"src/main/resources/application.yml", DBL_APPCONF_SPRING_YML},
	{"src/main/resources/application.yaml", DBL_APPCONF_SPRING_YML},
	{"application.yml", DBL_APPCONF_SPRING_YML},
	{"compose.yaml", DBL_APPCONF_COMPOSE},
	{"compose.yml", DBL_APPCONF_COMPOSE},
	{"docker-compose.yml", DBL_APPCONF_COMPOSE},
	{"docker-compose.yaml", DBL_APPCONF_COMPOSE},
	/* the driver: after the settings, so the engine is known */
	{"composer.json", DBL_APPCONF_DEPS},
	{"package.json", DBL_APPCONF_DEPS},
	{"requirements.txt", DBL_APPCONF_DEPS},
	{"pyproject.toml", DBL_APPCONF_DEPS},
	{"go.mod", DBL_APPCONF_DEPS},
	{"Gemfile", DBL_APPCONF_DEPS},
	{"pom.xml", DBL_APPCONF_DEPS},
	{"build.gradle", DBL_APPCONF_DEPS},
	{"build.gradle.kts", DBL_APPCONF_DEPS},
};

#define N_FILES (sizeof(files) / sizeof(files[0]))

static char *join(const char *dir, const char *name)
{
	return dbl_asprintf("%s/%s", dir, name);
}

bool dbl_appconf_is_project(const char *dir)
{
	for (size_t i = 0; i < N_FILES; i++) {
		char *p = join(dir, files[i].path);
		struct stat st;
		bool hit = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
		free(p);
		if (hit)
			return true;
	}
	return false;
}

int dbl_appconf_read(const char *dir, struct dbl_appconf *a,
		     struct dbl_strlist *warnings)
{
	for (size_t i = 0; i < N_FILES; i++) {
		char *p = join(dir, files[i].path);
		if (!p)
			return -DBL_ENOMEM;
		char *text = NULL;
		int rc = dbl_textfile_read(p, warnings, &text, NULL);
		if (rc < 0) {
			free(p);
			continue; /* missing, or warned about */
		}
		rc = dbl_strlist_push(&a->files, p);
		if (rc == 0)
			rc = dbl_appconf_parse(a, files[i].kind, p, text);
		free(text);
		free(p);
		if (rc < 0)
			return rc;
	}
	return 0;
}
