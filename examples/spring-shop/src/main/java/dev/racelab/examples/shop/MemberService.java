package dev.racelab.examples.shop;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Sign-ups: one member per email. true is "welcome", false is "that email is taken". */
@Service
public class MemberService {
    private final MemberRepository members;

    public MemberService(MemberRepository members) {
        this.members = members;
    }

    /**
     * Buggy: two sign-ups both find the email free and both insert. The unique constraint stops the second row,
     * so the loser gets a DataIntegrityViolationException (an error page) instead of "taken"; without the constraint
     * there would be two members with one email.
     */
    @Transactional
    public boolean signUpCheckThenInsert(String email) {
        if (members.existsByEmail(email)) return false;
        members.save(new Member(email));
        return true;
    }

    /**
     * Fixed: insert, and let the unique constraint decide. No transaction around it, so the insert's failure does not
     * mark an outer one rollback-only: the repository's own transaction rolls back and the loser hears "taken".
     */
    public boolean signUp(String email) {
        try {
            members.saveAndFlush(new Member(email));
            return true;
        } catch (DataIntegrityViolationException taken) {
            return false;
        }
    }
}
