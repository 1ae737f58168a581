package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.ThreeAddress;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode body of one function: run after the parameter adjoints are declared (zero),
 * it leaves the function's value in {@code result} and {@code seed}·∂f/∂p in each adjoint.
 *
 * @param statements declarations, forward sweep, then reverse sweep
 * @param seed the incoming adjoint of the result, a parameter of the generated method
 * @param result the variable that holds the function's value at the end
 * @param parameterAdjoints each differentiated parameter's adjoint variable
 * @param usesTape whether the statements push to or pop from {@code tape}
 * @param temporaries the names taken, so that code derived from this body (forward over reverse)
 *     picks others
 */
public record Pullback(
    List<Stmt> statements,
    Variable seed,
    Variable result,
    Map<Variable, Variable> parameterAdjoints,
    boolean usesTape,
    ThreeAddress temporaries) {}
