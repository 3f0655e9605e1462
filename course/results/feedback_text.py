"""What the feedback page says to a student, in the notebook's language.

Written the way a teacher talks to a student (pt: "você", es: "tú"); the template holds no
words of its own, so a translation or a rewording happens only here.
"""
from __future__ import annotations

TEXT = {
    "pt": {
        "html_lang": "pt-BR",
        "title": "Devolutiva",
        "student": "Estudante",
        "assignment": "Tarefa",
        "total": "Nota total",
        "point": "ponto",
        "points": "pontos",
        "late_penalty": "Desconto por entrega atrasada",
        "exercise": "Exercício",
        "your_code": "Seu código",
        "your_answer": "Sua resposta",
        "no_answer_cell": "Não há célula de resposta antes desta verificação.",
        "empty_answer": "(célula vazia)",
        "checks": "Verificações",
        "passed": "Passou em todas as verificações.",
        "failed": "Não passou. O que as verificações encontraram:",
        "failed_silently": "Não passou, mas a verificação não deixou mensagem. Rode a célula de "
                           "verificação no seu notebook para ver o que acontece.",
        "not_implemented": "Esta resposta ainda não foi implementada (o esboço levanta "
                           "NotImplementedError).",
        "bare_assert": "Uma verificação falhou (sem mensagem).",
        "manual": "Corrigida pelo professor",
        "unanswered": "Sem resposta (a célula ficou como no enunciado)",
        "manual_pending": "Correção manual pendente",
        "manual_note_pending": "As respostas escritas são corrigidas pelo professor e ainda "
                               "aguardam correção: a nota total pode mudar.",
        "manual_note_done": "As respostas escritas foram corrigidas pelo professor; os "
                            "comentários aparecem junto de cada uma.",
        "comment": "Comentário do professor",
        "footer": "As verificações ocultas usam outros dados além dos da aula: resolva o caso "
                  "geral, não só o exemplo.",
    },
    "es": {
        "html_lang": "es",
        "title": "Retroalimentación",
        "student": "Estudiante",
        "assignment": "Tarea",
        "total": "Nota total",
        "point": "punto",
        "points": "puntos",
        "late_penalty": "Descuento por entrega tardía",
        "exercise": "Ejercicio",
        "your_code": "Tu código",
        "your_answer": "Tu respuesta",
        "no_answer_cell": "No hay una celda de respuesta antes de esta verificación.",
        "empty_answer": "(celda vacía)",
        "checks": "Verificaciones",
        "passed": "Pasó todas las verificaciones.",
        "failed": "No pasó. Lo que encontraron las verificaciones:",
        "failed_silently": "No pasó, pero la verificación no dejó mensaje. Ejecuta la celda de "
                           "verificación en tu notebook para ver qué ocurre.",
        "not_implemented": "Esta respuesta aún no está implementada (el esqueleto lanza "
                           "NotImplementedError).",
        "bare_assert": "Una verificación falló (sin mensaje).",
        "manual": "Corregida por el docente",
        "unanswered": "Sin respuesta (la celda quedó como en el enunciado)",
        "manual_pending": "Corrección manual pendiente",
        "manual_note_pending": "Las respuestas escritas las corrige el docente y todavía están "
                               "pendientes: la nota total puede cambiar.",
        "manual_note_done": "Las respuestas escritas ya fueron corregidas por el docente; los "
                            "comentarios aparecen junto a cada una.",
        "comment": "Comentario del docente",
        "footer": "Las verificaciones ocultas usan otros datos además de los de la clase: "
                  "resuelve el caso general y no solo el ejemplo.",
    },
}


def text(lang: str) -> dict[str, str]:
    """The strings of one language (KeyError for a language the course does not have)."""
    return TEXT[lang]
