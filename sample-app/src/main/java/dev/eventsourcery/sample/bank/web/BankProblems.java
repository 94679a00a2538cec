package dev.eventsourcery.sample.bank.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.eventsourcery.sample.bank.account.AccountNotFoundException;
import dev.eventsourcery.sample.bank.account.InsufficientFundsException;
import dev.eventsourcery.sample.bank.account.SameAccountTransferException;

/**
 * Turns the bank's own failures into {@link ProblemDetail} responses (RFC 9457). The event store's exceptions
 * (a concurrent change, an invalid tenant) are answered by the starter's {@code EventStoreExceptionHandler}.
 */
@RestControllerAdvice
public class BankProblems extends ResponseEntityExceptionHandler {

    @ExceptionHandler
    ProblemDetail accountNotFound(AccountNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Account not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail insufficientFunds(InsufficientFundsException e) {
        return problem(HttpStatus.CONFLICT, "Insufficient funds", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail sameAccountTransfer(SameAccountTransferException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid transfer", e.getMessage());
    }

    /** Names every invalid field and why. */
    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.getBindingResult().getFieldErrors().forEach(error -> errors.put(error.getField(), error.getDefaultMessage()));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "Invalid fields: " + String.join(", ", errors.keySet()));
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    private static ProblemDetail problem(HttpStatus status, String title, @Nullable String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail == null ? title : detail);
        problem.setTitle(title);
        return problem;
    }
}
