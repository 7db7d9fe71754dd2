/* corte_timer.c — automatic cortes every N minutes. Placeholder until
 * src/publish/corte.c lands: refuses --corte-every with a clear error. */
#include "http/internal.h"

int corte_timer_start(prep_server *s, prep_err *err)
{
    (void)s;
    return prep_fail(err, PREP_E_INVALID, "--corte-every is not available in this build yet");
}

void corte_timer_stop(prep_server *s)
{
    (void)s;
}
