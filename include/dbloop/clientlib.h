/* The client libraries, loaded on first use (dlopen, as systemd loads its
 * optional libraries): commands that never connect (explain, show, help,
 * --version) do not pay for libpq, libmariadb and the ~25 libraries they
 * pull in. A module that calls libpq or libmariadb includes this header
 * after <libpq-fe.h> / <mysql.h>: each function name then stands for a
 * pointer filled by dbl_libpq_load / dbl_libmariadb_load, which it must
 * have called (and checked) first. */
#ifndef DBLOOP_CLIENTLIB_H
#define DBLOOP_CLIENTLIB_H

#include <stdbool.h>
#include <stddef.h>

/* Loads the library once per process (thread-safe). 0, or -DBL_EINTERNAL
 * with one line naming the library and what dlopen/dlsym said in err
 * (may be NULL). Every later call returns the first outcome. */
int dbl_libpq_load(char *err, size_t errlen);
int dbl_libmariadb_load(char *err, size_t errlen);

/* The versions of the headers dbloop was built with ("15.18",
 * "3.3.20"), which need no loading; NULL when built without. */
const char *dbl_libpq_built_version(void);
const char *dbl_libmariadb_built_version(void);

#define DBL_PQ_FUNCS(X)                                                        \
	X(PQclear)                                                             \
	X(PQconnectPoll)                                                       \
	X(PQconnectStartParams)                                                \
	X(PQconnectionUsedPassword)                                            \
	X(PQconninfoFree)                                                      \
	X(PQconninfoParse)                                                     \
	X(PQconsumeInput)                                                      \
	X(PQerrorMessage)                                                      \
	X(PQfinish)                                                            \
	X(PQfreemem)                                                           \
	X(PQgetResult)                                                         \
	X(PQgetisnull)                                                         \
	X(PQgetvalue)                                                          \
	X(PQisBusy)                                                            \
	X(PQlibVersion)                                                        \
	X(PQnfields)                                                           \
	X(PQntuples)                                                           \
	X(PQparameterStatus)                                                   \
	X(PQresultErrorField)                                                  \
	X(PQresultErrorMessage)                                                \
	X(PQresultStatus)                                                      \
	X(PQsendQuery)                                                         \
	X(PQsetErrorVerbosity)                                                 \
	X(PQsetTraceFlags)                                                     \
	X(PQsocket)                                                            \
	X(PQsslInUse)                                                          \
	X(PQstatus)                                                            \
	X(PQtrace)                                                             \
	X(PQuntrace)

/* mysql_library_init/_end are macros for mysql_server_init/_end. */
#define DBL_MY_FUNCS(X)                                                        \
	X(mariadb_get_infov)                                                   \
	X(mysql_close)                                                         \
	X(mysql_errno)                                                         \
	X(mysql_error)                                                         \
	X(mysql_fetch_row)                                                     \
	X(mysql_free_result)                                                   \
	X(mysql_get_client_info)                                               \
	X(mysql_get_server_info)                                               \
	X(mysql_get_socket)                                                    \
	X(mysql_get_ssl_cipher)                                                \
	X(mysql_get_timeout_value_ms)                                          \
	X(mysql_init)                                                          \
	X(mysql_next_result_cont)                                              \
	X(mysql_next_result_start)                                             \
	X(mysql_num_fields)                                                    \
	X(mysql_options)                                                       \
	X(mysql_real_connect_cont)                                             \
	X(mysql_real_connect_start)                                            \
	X(mysql_real_query_cont)                                               \
	X(mysql_real_query_start)                                              \
	X(mysql_server_end)                                                    \
	X(mysql_server_init)                                                   \
	X(mysql_sqlstate)                                                      \
	X(mysql_ssl_set)                                                       \
	X(mysql_store_result_cont)                                             \
	X(mysql_store_result_start)                                            \
	X(mysql_thread_end)                                                    \
	X(mysql_thread_id)                                                     \
	X(mysql_thread_init)

#define DBL_CLIENTLIB_DECLARE(f) extern __typeof__(f) *dbl_sym_##f;

#if defined(DBLOOP_WITH_LIBPQ) && defined(LIBPQ_FE_H)
DBL_PQ_FUNCS(DBL_CLIENTLIB_DECLARE)
#ifndef DBL_CLIENTLIB_IMPL
#define PQclear dbl_sym_PQclear
#define PQconnectPoll dbl_sym_PQconnectPoll
#define PQconnectStartParams dbl_sym_PQconnectStartParams
#define PQconnectionUsedPassword dbl_sym_PQconnectionUsedPassword
#define PQconninfoFree dbl_sym_PQconninfoFree
#define PQconninfoParse dbl_sym_PQconninfoParse
#define PQconsumeInput dbl_sym_PQconsumeInput
#define PQerrorMessage dbl_sym_PQerrorMessage
#define PQfinish dbl_sym_PQfinish
#define PQfreemem dbl_sym_PQfreemem
#define PQgetResult dbl_sym_PQgetResult
#define PQgetisnull dbl_sym_PQgetisnull
#define PQgetvalue dbl_sym_PQgetvalue
#define PQisBusy dbl_sym_PQisBusy
#define PQlibVersion dbl_sym_PQlibVersion
#define PQnfields dbl_sym_PQnfields
#define PQntuples dbl_sym_PQntuples
#define PQparameterStatus dbl_sym_PQparameterStatus
#define PQresultErrorField dbl_sym_PQresultErrorField
#define PQresultErrorMessage dbl_sym_PQresultErrorMessage
#define PQresultStatus dbl_sym_PQresultStatus
#define PQsendQuery dbl_sym_PQsendQuery
#define PQsetErrorVerbosity dbl_sym_PQsetErrorVerbosity
#define PQsetTraceFlags dbl_sym_PQsetTraceFlags
#define PQsocket dbl_sym_PQsocket
#define PQsslInUse dbl_sym_PQsslInUse
#define PQstatus dbl_sym_PQstatus
#define PQtrace dbl_sym_PQtrace
#define PQuntrace dbl_sym_PQuntrace
#endif
#endif

#if defined(DBLOOP_WITH_MARIADB) && defined(_mysql_h)
DBL_MY_FUNCS(DBL_CLIENTLIB_DECLARE)
#ifndef DBL_CLIENTLIB_IMPL
#define mariadb_get_infov dbl_sym_mariadb_get_infov
#define mysql_close dbl_sym_mysql_close
#define mysql_errno dbl_sym_mysql_errno
#define mysql_error dbl_sym_mysql_error
#define mysql_fetch_row dbl_sym_mysql_fetch_row
#define mysql_free_result dbl_sym_mysql_free_result
#define mysql_get_client_info dbl_sym_mysql_get_client_info
#define mysql_get_server_info dbl_sym_mysql_get_server_info
#define mysql_get_socket dbl_sym_mysql_get_socket
#define mysql_get_ssl_cipher dbl_sym_mysql_get_ssl_cipher
#define mysql_get_timeout_value_ms dbl_sym_mysql_get_timeout_value_ms
#define mysql_init dbl_sym_mysql_init
#define mysql_next_result_cont dbl_sym_mysql_next_result_cont
#define mysql_next_result_start dbl_sym_mysql_next_result_start
#define mysql_num_fields dbl_sym_mysql_num_fields
#define mysql_options dbl_sym_mysql_options
#define mysql_real_connect_cont dbl_sym_mysql_real_connect_cont
#define mysql_real_connect_start dbl_sym_mysql_real_connect_start
#define mysql_real_query_cont dbl_sym_mysql_real_query_cont
#define mysql_real_query_start dbl_sym_mysql_real_query_start
#define mysql_server_end dbl_sym_mysql_server_end
#define mysql_server_init dbl_sym_mysql_server_init
#define mysql_sqlstate dbl_sym_mysql_sqlstate
#define mysql_ssl_set dbl_sym_mysql_ssl_set
#define mysql_store_result_cont dbl_sym_mysql_store_result_cont
#define mysql_store_result_start dbl_sym_mysql_store_result_start
#define mysql_thread_end dbl_sym_mysql_thread_end
#define mysql_thread_id dbl_sym_mysql_thread_id
#define mysql_thread_init dbl_sym_mysql_thread_init
#endif
#endif

#endif
